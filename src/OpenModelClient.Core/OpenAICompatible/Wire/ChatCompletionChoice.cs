using System.Text.Json;

namespace OpenModelClient;

internal sealed class ChatCompletionChoice : IReusableWireObject
{
    public int Index { get; set; }

    public ChatCompletionMessage? Message { get; set; }

    public ChatCompletionMessage? Delta { get; set; }

    public string? FinishReason { get; set; }

    public JsonElement? Logprobs { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Index = 0;
        Message = null;
        Delta = null;
        FinishReason = null;
        Logprobs = null;
    }
}
