namespace OpenModelClient;

/// <summary>The providers a configuration section can name in its <c>Provider</c> key (case-insensitive).</summary>
public enum OpenModelProvider
{
    /// <summary>llama.cpp <c>llama-server</c>.</summary>
    LlamaCpp,

    /// <summary>Ollama, native <c>/api</c> protocol.</summary>
    Ollama,

    /// <summary>DeepSeek's hosted API.</summary>
    DeepSeek,

    /// <summary>Qwen on Alibaba Cloud Model Studio (DashScope), OpenAI-compatible mode.</summary>
    Qwen,

    /// <summary>Any other OpenAI-compatible server: vLLM, SGLang, LM Studio, …</summary>
    OpenAICompatible,
}
