using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>A client's request defaults, copied from its options at construction so that later changes to the options object have no effect.</summary>
internal sealed class OllamaClientDefaults
{
    public string? ModelId { get; init; }

    public TimeSpan? KeepAlive { get; init; }

    public OllamaThinkMode? Think { get; init; }

    public bool? Truncate { get; init; }

    /// <summary>The client's <c>options</c> object, already in wire form; cloned per request.</summary>
    public JsonObject ModelOptions { get; init; } = [];

    public IReadOnlyList<string> ThinkLevelModels { get; init; } = [];

    public static JsonObject ToJson(OllamaModelOptions? options)
    {
        var json = new JsonObject();
        options?.WriteTo(json);
        return json;
    }
}
