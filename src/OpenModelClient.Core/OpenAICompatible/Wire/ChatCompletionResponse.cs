using System.Text.Json;

namespace OpenModelClient;

/// <summary>A <c>chat.completion</c> body or a <c>chat.completion.chunk</c> stream event; every field optional, as servers differ.</summary>
internal sealed class ChatCompletionResponse : IReusableWireObject
{
    public string? Id { get; set; }

    public string? Object { get; set; }

    public long? Created { get; set; }

    public string? Model { get; set; }

    public string? SystemFingerprint { get; set; }

    public List<ChatCompletionChoice>? Choices { get; set; }

    public ChatCompletionUsage? Usage { get; set; }

    public ServerTimings? Timings { get; set; }

    /// <summary>A top-level error object inside a 200 body or stream (llama.cpp, vLLM) must be checked before <c>choices</c>.</summary>
    public JsonElement? Error { get; set; }

    /// <summary>Old vLLM flat error shape: <c>{"object":"error","message":…}</c>.</summary>
    public string? Message { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Id = null;
        Object = null;
        Created = null;
        Model = null;
        SystemFingerprint = null;
        Choices = null;
        Usage = null;
        Timings = null;
        Error = null;
        Message = null;
    }
}
