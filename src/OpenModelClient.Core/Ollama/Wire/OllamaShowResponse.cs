using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelClient;

/// <summary>The body of <c>/api/show</c>.</summary>
internal sealed class OllamaShowResponse
{
    public string? Modelfile { get; set; }

    public string? Parameters { get; set; }

    public string? Template { get; set; }

    public OllamaDetails? Details { get; set; }

    /// <summary>GGUF metadata keyed by name, e.g. <c>general.architecture</c>, <c>llama.context_length</c>.</summary>
    public JsonElement? ModelInfo { get; set; }

    public List<string>? Capabilities { get; set; }

    [JsonConverter(typeof(OllamaTimestampConverter))]
    public DateTimeOffset? ModifiedAt { get; set; }

    public JsonElement? Error { get; set; }
}
