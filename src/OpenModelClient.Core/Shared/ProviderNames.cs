namespace OpenModelClient;

/// <summary>Provider names reported in <c>ChatClientMetadata.ProviderName</c>, telemetry (<c>gen_ai.provider.name</c>) and exceptions.</summary>
/// <remarks><c>deepseek</c> is a registered OpenTelemetry GenAI provider name; the others have no registered value, so the server's own name is used.</remarks>
public static class ProviderNames
{
    /// <summary>The llama.cpp <c>llama-server</c>.</summary>
    public const string LlamaCpp = "llama.cpp";

    /// <summary>Ollama, native <c>/api</c> protocol.</summary>
    public const string Ollama = "ollama";

    /// <summary>Any other server that speaks the OpenAI chat-completions protocol (vLLM, SGLang, LM Studio, …).</summary>
    public const string OpenAICompatible = "openai-compatible";
}
