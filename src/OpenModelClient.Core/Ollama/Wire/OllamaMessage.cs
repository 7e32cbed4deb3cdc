namespace OpenModelClient;

/// <summary>The <c>message</c> of a chat response line: <c>content</c> is always present, the rest is omitted when empty.</summary>
internal sealed class OllamaMessage : IReusableWireObject
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? Thinking { get; set; }

    public List<OllamaToolCall>? ToolCalls { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Role = null;
        Content = null;
        Thinking = null;
        ToolCalls = null;
    }
}
