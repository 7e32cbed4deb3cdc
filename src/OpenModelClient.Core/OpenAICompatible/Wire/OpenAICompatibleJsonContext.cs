using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelClient;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OpenAICompatibleJsonContext : JsonSerializerContext;
