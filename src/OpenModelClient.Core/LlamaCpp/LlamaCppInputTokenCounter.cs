using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Counts input tokens with llama.cpp's <c>POST /v1/chat/completions/input_tokens</c>, waking a sleeping model first.</summary>
/// <remarks>
/// A server started with <c>--sleep-idle-seconds</c> unloads its model when idle. On llama-server b10309, a count that arrives while the model
/// sleeps is answered by a dropped connection, and after one or two such wakes the server process exits; an empty <c>/tokenize</c> wakes the
/// model safely (it waits for the reload and generates nothing), after which the count is exact. So every count is preceded by that empty
/// <c>/tokenize</c>, which costs the server no model work when it is awake (a local round trip, on a call made before a request, not per token).
/// </remarks>
internal sealed class LlamaCppInputTokenCounter(ServerInputTokenCounter counter, LlamaCppServer server, string? defaultModelId) : IInputTokenCounter
{
    public async Task<InputTokenCount> CountInputTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        try
        {
            await server.WakeAsync(options?.ModelId ?? defaultModelId, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenModelException)
        {
            // A server that refuses the wake (no /tokenize, an unknown router model) still gets the count, which reports the real problem.
        }

        return await counter.CountInputTokensAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }
}
