namespace OpenModelClient;

/// <summary>A response <c>message</c> or stream <c>delta</c>.</summary>
internal sealed class ChatCompletionMessage : IReusableWireObject
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    /// <summary>llama.cpp, DeepSeek, Qwen, SGLang, older vLLM.</summary>
    public string? ReasoningContent { get; set; }

    /// <summary>vLLM since late 2025, Ollama's <c>/v1</c>, some LM Studio builds.</summary>
    public string? Reasoning { get; set; }

    public string? Refusal { get; set; }

    public List<ChatCompletionToolCall>? ToolCalls { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Role = null;
        Content = null;
        ReasoningContent = null;
        Reasoning = null;
        Refusal = null;
        ToolCalls = null;
    }
}
