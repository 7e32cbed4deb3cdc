using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Conformance;

/// <summary>Ready-made <see cref="ConformanceOptions.ConfigureRequest"/> hooks.</summary>
public static class ConformanceRequestHooks
{
    private const string FirstCall = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}\n</tool_call>\n";

    /// <summary>
    /// Makes a model that never calls tools by itself (a random-weight test model) call them: the tool checks' assistant turn is prefilled
    /// with the Hermes/Qwen <c>&lt;tool_call&gt;</c> opening (the parallel check with one complete call and the opening of a second), which
    /// a server that continues a trailing assistant message (llama.cpp) completes under its tool-call grammar.
    /// </summary>
    /// <param name="endOfTurnTokenId">
    /// The id of the model's end-of-turn token (<c>&lt;|im_end|&gt;</c>), favoured through <c>logit_bias</c> so that the answer ends
    /// right after the call (finish reason <c>tool_calls</c>); <see langword="null"/> sends no bias.
    /// </param>
    /// <returns>The hook.</returns>
    public static Action<ConformanceCheck, IList<ChatMessage>, ChatOptions> HermesToolCallPrefill(int? endOfTurnTokenId = null) => (check, messages, options) =>
    {
        string? prefill = check switch
        {
            ConformanceCheck.Tools or ConformanceCheck.StreamedTools => "<tool_call>\n",
            ConformanceCheck.ParallelTools => FirstCall + "<tool_call>\n",
            _ => null,
        };
        if (prefill is null)
        {
            return;
        }

        messages.Add(new ChatMessage(ChatRole.Assistant, prefill));
        if (endOfTurnTokenId is { } id)
        {
            (options.AdditionalProperties ??= [])["logit_bias"] = new JsonObject { [id.ToString(CultureInfo.InvariantCulture)] = 100 };
        }
    };
}
