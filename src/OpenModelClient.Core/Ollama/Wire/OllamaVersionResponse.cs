namespace OpenModelClient;

/// <summary>The body of <c>/api/version</c>.</summary>
internal sealed class OllamaVersionResponse
{
    public string? Version { get; set; }
}
