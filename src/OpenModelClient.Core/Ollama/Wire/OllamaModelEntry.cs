using System.Text.Json.Serialization;

namespace OpenModelClient;

/// <summary>One model of <c>/api/tags</c> (local) or <c>/api/ps</c> (loaded); the <c>ps</c>-only fields are null for <c>tags</c>.</summary>
internal sealed class OllamaModelEntry
{
    public string? Name { get; set; }

    public string? Model { get; set; }

    [JsonConverter(typeof(OllamaTimestampConverter))]
    public DateTimeOffset? ModifiedAt { get; set; }

    public long? Size { get; set; }

    public string? Digest { get; set; }

    public OllamaDetails? Details { get; set; }

    public List<string>? Capabilities { get; set; }

    [JsonConverter(typeof(OllamaTimestampConverter))]
    public DateTimeOffset? ExpiresAt { get; set; }

    public long? SizeVram { get; set; }

    public long? ContextLength { get; set; }
}
