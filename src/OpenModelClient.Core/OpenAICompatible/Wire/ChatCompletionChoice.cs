using System.Text.Json;

namespace OpenModelClient;

internal sealed class ChatCompletionChoice
{
    public int Index { get; set; }

    public ChatCompletionMessage? Message { get; set; }

    public ChatCompletionMessage? Delta { get; set; }

    public string? FinishReason { get; set; }

    public JsonElement? Logprobs { get; set; }
}
