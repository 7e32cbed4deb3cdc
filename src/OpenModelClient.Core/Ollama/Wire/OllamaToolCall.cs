namespace OpenModelClient;

/// <summary>A tool call; each arrives whole, with <c>arguments</c> as a JSON object. <c>id</c> is missing on older servers.</summary>
internal sealed class OllamaToolCall
{
    public string? Id { get; set; }

    public OllamaToolCallFunction? Function { get; set; }
}
