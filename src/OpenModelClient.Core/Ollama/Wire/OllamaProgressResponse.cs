using System.Text.Json;

namespace OpenModelClient;

/// <summary>One <c>/api/pull</c> NDJSON line (<c>ProgressResponse{status,digest,total,completed}</c>), or an <c>{"error":…}</c> line.</summary>
internal sealed class OllamaProgressResponse
{
    public string? Status { get; set; }

    public string? Digest { get; set; }

    public long? Total { get; set; }

    public long? Completed { get; set; }

    public JsonElement? Error { get; set; }
}
