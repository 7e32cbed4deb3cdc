using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>One server-side stream session that can be replayed from its start, reopened at a byte offset, and cancelled.</summary>
internal abstract class ResumableChatStream
{
    /// <summary>Creates the request that replays the whole stream from its first byte (a caller reattaching with a token).</summary>
    /// <returns>A new request.</returns>
    public abstract HttpRequestMessage CreateReplayRequest();

    /// <summary>Wraps a response body so that a broken connection reopens the stream at the first byte not yet read.</summary>
    /// <param name="body">The body of the response to the original (or replay) request.</param>
    /// <param name="original">The request that produced <paramref name="body"/>; its options (such as a call deadline) go on every reopen.</param>
    /// <returns>The stream to parse.</returns>
    public abstract Stream Wrap(Stream body, HttpRequestMessage original);

    /// <summary>The token that lets a later call continue after the given number of delivered updates.</summary>
    /// <param name="updatesDelivered">The updates delivered so far, counting the one the token goes on.</param>
    /// <returns>The token.</returns>
    public abstract ResponseContinuationToken TokenAfter(int updatesDelivered);

    /// <summary>Asks the server to stop generating and drop the session; best effort, never throws.</summary>
    /// <returns>A task that completes when the server answered or the attempt gave up.</returns>
    public abstract Task CancelAsync();
}
