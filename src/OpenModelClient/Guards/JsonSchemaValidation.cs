using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace OpenModelClient;

/// <summary>Validates replies against JSON schemas with JsonSchema.Net; the schema objects are cached by their text.</summary>
internal static class JsonSchemaValidation
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    /// <summary>Returns the first violation as <c>location: message</c>, or <see langword="null"/> when <paramref name="instance"/> conforms.</summary>
    public static string? FirstViolation(JsonElement schema, JsonElement instance)
    {
        string text = schema.GetRawText();
        var compiled = Schemas.Count < 256 ? Schemas.GetOrAdd(text, static t => JsonSchema.FromText(t)) : JsonSchema.FromText(text);
        var results = compiled.Evaluate(instance, Options);
        if (results.IsValid)
        {
            return null;
        }

        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is { Count: > 0 } errors)
            {
                string location = detail.InstanceLocation.ToString();
                return $"{(location.Length == 0 ? "/" : location)}: {errors.First().Value}";
            }
        }

        return results.Errors?.Values.FirstOrDefault() ?? "the reply does not conform";
    }
}
