using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Writing user-supplied values (tool arguments, tool results, pass-through properties) to a JSON request body, for every protocol.</summary>
internal static class WireJson
{
    /// <summary>Microsoft.Extensions.AI's defaults (which know its types), but compact: its defaults indent, which wastes tokens and bytes.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Microsoft.Extensions.AI's convention for asking a provider to enforce a JSON schema strictly; not sent as a field itself.</summary>
    public const string StrictJsonSchemaKey = "strictJsonSchema";

    public static string SerializeResult(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => JsonSerializer.Serialize(result, WireJson.Options.GetTypeInfo(result.GetType())),
    };

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNodeFrom(element),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        float f => JsonValue.Create(f),
        double d => JsonValue.Create(d),
        _ => JsonSerializer.SerializeToNode(value, WireJson.Options.GetTypeInfo(value.GetType())),
    };

    /// <summary>Sets <paramref name="key"/>, merging objects key by key so that, e.g., two sources of <c>chat_template_kwargs</c> combine.</summary>
    public static void Merge(JsonObject target, string key, JsonNode? value)
    {
        if (value is JsonObject incoming && target[key] is JsonObject existing)
        {
            foreach (var (k, v) in incoming.ToList())
            {
                incoming.Remove(k);
                Merge(existing, k, v);
            }

            return;
        }

        target[key] = value;
    }

    public static JsonNode? JsonNodeFrom(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => null,
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        _ => JsonValue.Create(element),
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }

    public static bool? AsBool(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool b) ? b : null;

    public static string? AsString(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? s) ? s : null;
}
