using System.Text.Json.Serialization;

namespace OpenModelClient;

internal sealed class ChatCompletionToolCall : IReusableWireObject
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public ChatCompletionFunctionCall? Function { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Index = null;
        Id = null;
        Type = null;
        Function = null;
    }
}

internal sealed class ChatCompletionFunctionCall : IReusableWireObject
{
    public string? Name { get; set; }

    /// <summary>A JSON string per the protocol; some servers send the object itself, which is kept as its raw JSON text.</summary>
    [JsonConverter(typeof(StringOrRawJsonConverter))]
    public string? Arguments { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Name = null;
        Arguments = null;
    }
}
