using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelClient;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatResponse))]
[JsonSerializable(typeof(OllamaEmbedResponse))]
[JsonSerializable(typeof(OllamaProgressResponse))]
[JsonSerializable(typeof(OllamaModelsResponse))]
[JsonSerializable(typeof(OllamaShowResponse))]
[JsonSerializable(typeof(OllamaVersionResponse))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
