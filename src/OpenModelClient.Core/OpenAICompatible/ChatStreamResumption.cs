using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The engine's hook for servers that can replay a streamed chat completion after its connection drops.</summary>
/// <remarks>
/// The engine asks it to mark each streamed request as resumable, to wrap the response body so that an I/O failure reopens the
/// stream where the bytes stopped, and to turn a caller's <see cref="ResponseContinuationToken"/> back into a replay. The server
/// specifics (headers, endpoints) stay with the provider.
/// </remarks>
internal abstract class ChatStreamResumption
{
    /// <summary>Marks a streamed request as resumable and returns its session.</summary>
    /// <param name="request">The streamed chat request about to be sent.</param>
    /// <returns>The session that can reopen, replay and cancel this stream.</returns>
    public abstract ResumableChatStream Begin(HttpRequestMessage request);

    /// <summary>Reads a continuation token this client issued.</summary>
    /// <param name="token">The caller's token.</param>
    /// <param name="session">The stream the token belongs to.</param>
    /// <param name="updatesDelivered">How many updates the caller had received when the token was issued.</param>
    /// <returns><see langword="false"/> when the token was not issued by this kind of client.</returns>
    public abstract bool TryRestore(ResponseContinuationToken token, out ResumableChatStream? session, out int updatesDelivered);
}
