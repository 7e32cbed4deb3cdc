using System.Text.Json;

namespace OpenModelClient;

/// <summary>The <c>/api/embed</c> body.</summary>
internal sealed class OllamaEmbedResponse
{
    public string? Model { get; set; }

    public List<float[]>? Embeddings { get; set; }

    public long? TotalDuration { get; set; }

    public long? LoadDuration { get; set; }

    public long? PromptEvalCount { get; set; }

    public JsonElement? Error { get; set; }
}
