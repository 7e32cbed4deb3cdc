using System.Text.Json.Serialization;

namespace OpenModelClient;

internal sealed class EmbeddingResponse
{
    public string? Model { get; set; }

    public List<EmbeddingItem>? Data { get; set; }

    public ChatCompletionUsage? Usage { get; set; }
}

internal sealed class EmbeddingItem
{
    public int Index { get; set; }

    /// <summary>A float array, or a base64 string of little-endian float32 when the server answers in base64.</summary>
    [JsonConverter(typeof(EmbeddingVectorConverter))]
    public float[]? Embedding { get; set; }
}
