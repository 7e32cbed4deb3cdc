using System.Text.Json;

namespace OpenModelClient;

/// <summary>The <c>function</c> of a tool call: <c>index</c> is always present on current servers.</summary>
internal sealed class OllamaToolCallFunction
{
    public int? Index { get; set; }

    public string? Name { get; set; }

    /// <summary>A JSON object whose keys keep the model's order; kept as an element and parsed once by the shared function-call helper.</summary>
    public JsonElement? Arguments { get; set; }
}
