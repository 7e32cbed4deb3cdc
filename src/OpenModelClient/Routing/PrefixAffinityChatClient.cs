using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Hands each call's conversation-prefix key to the HTTP handlers that route it (<see cref="AffinityRoutingHandler"/>).</summary>
internal sealed class PrefixAffinityChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        AffinityKey.Current = AffinityKey.Compute(history);
        return await base.GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        string? key = AffinityKey.Compute(history);
        var updates = base.GetStreamingResponseAsync(history, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                // Set before each step: the request is sent (and a resumed stream reopened) inside the inner enumerator's steps.
                AffinityKey.Current = key;
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                yield return updates.Current;
            }
        }
    }
}
