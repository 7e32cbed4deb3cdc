namespace OpenModelClient;

internal sealed partial class OpenAICompatibleChatEngine
{
    /// <summary>Ends a resumable stream's server-side session when the caller leaves before its end.</summary>
    /// <remarks>
    /// A server that keeps a stream for replay also keeps generating after the client goes, so a call the caller leaves early cancels
    /// it: always when the caller's token was cancelled, and when the caller stops reading unless it asked for continuation tokens
    /// (<c>ChatOptions.AllowBackgroundResponses</c>), in which case the session stays for a later call to reattach to, until the
    /// server expires it. A call that ends in an error leaves the session alone (the server's error ended it, or it is what a
    /// continuation token can still reach).
    /// </remarks>
    private sealed class StreamSessionScope(ResumableChatStream? session, bool keepOnEarlyExit, CancellationToken cancellationToken) : IAsyncDisposable
    {
        private bool _completed;

        /// <summary>Gets or sets a value indicating whether the iterator is suspended at a <c>yield return</c>: a disposal then is the caller leaving.</summary>
        public bool AtYield { get; set; }

        /// <summary>Notes that the stream reached its end: nothing is left to cancel.</summary>
        public void Completed() => _completed = true;

        public async ValueTask DisposeAsync()
        {
            if (session is not null && !_completed && (cancellationToken.IsCancellationRequested || (AtYield && !keepOnEarlyExit)))
            {
                await session.CancelAsync().ConfigureAwait(false);
            }
        }
    }
}
