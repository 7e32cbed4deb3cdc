namespace OpenModelClient;

/// <summary>Provider names reported in <c>ChatClientMetadata.ProviderName</c>, telemetry (<c>gen_ai.provider.name</c>) and exceptions.</summary>
/// <remarks>
/// <c>deepseek</c> is a registered OpenTelemetry GenAI provider name; the others have no registered value, so the server's own name is used
/// (<c>qwen</c> for Model Studio, matching the configuration's <c>Provider=Qwen</c>). Ollama's <c>/v1</c> layer reports <c>ollama</c>, like the native adapter.
/// </remarks>
public static class ProviderNames
{
    /// <summary>The llama.cpp <c>llama-server</c>.</summary>
    public const string LlamaCpp = "llama.cpp";

    /// <summary>Ollama, native <c>/api</c> protocol.</summary>
    public const string Ollama = "ollama";

    /// <summary>DeepSeek's hosted API (a registered OpenTelemetry GenAI provider name).</summary>
    public const string DeepSeek = "deepseek";

    /// <summary>Qwen on Alibaba Cloud Model Studio (DashScope), OpenAI-compatible mode.</summary>
    public const string Qwen = "qwen";

    /// <summary>vLLM's OpenAI-compatible server.</summary>
    public const string Vllm = "vllm";

    /// <summary>SGLang's OpenAI-compatible server.</summary>
    public const string SGLang = "sglang";

    /// <summary>LM Studio's OpenAI-compatible server.</summary>
    public const string LMStudio = "lmstudio";

    /// <summary>Any other server that speaks the OpenAI chat-completions protocol (vLLM, SGLang, LM Studio, …).</summary>
    public const string OpenAICompatible = "openai-compatible";
}
