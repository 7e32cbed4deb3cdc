using Microsoft.Extensions.AI;

namespace WebChat;

/// <summary>
/// Notes each profile a request tried and why it failed, so that when nothing answers the page can name every endpoint, not
/// only the last one. The failover client rethrows only the last client's exception; this wrapper sits around each keyed client
/// and records the others' on the way out.
/// </summary>
internal sealed class FailoverAttempts
{
    private static readonly AsyncLocal<FailoverAttempts?> CurrentRequest = new();
    private readonly List<string> _failures = [];

    /// <summary>Gets how each profile tried so far failed, in order, e.g. <c>llamacpp at http://127.0.0.1:8080: Connection refused</c>.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Starts recording for the calls made from here on in this asynchronous flow (one chat request).</summary>
    public static FailoverAttempts Begin() => CurrentRequest.Value = new FailoverAttempts();

    /// <summary>Wraps a keyed profile's client so that its failures are recorded under the profile's name and endpoint.</summary>
    public static IChatClient Record(IChatClient inner, string profile, string endpoint) => new Recorder(inner, $"{profile} at {endpoint}");

    private sealed class Recorder(IChatClient inner, string name) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken);
            }
            catch (Exception e) when (Note(e))
            {
                throw; // never reached: Note returns false, so the exception travels on untouched
            }
        }

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (Note(e))
                {
                    throw; // never reached, as above
                }

                yield return updates.Current;
            }
        }

        private bool Note(Exception e)
        {
            if (e is not OperationCanceledException)
            {
                CurrentRequest.Value?._failures.Add($"{name}: {e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')}");
            }

            return false;
        }
    }
}
