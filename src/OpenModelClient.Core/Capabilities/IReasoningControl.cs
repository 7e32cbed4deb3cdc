namespace OpenModelClient;

/// <summary>Ends a model's reasoning mid-stream ("answer now"), so it moves on to the answer, for a streamed call that is still running.</summary>
/// <remarks>
/// From a chat client with <c>GetService&lt;IReasoningControl&gt;()</c>; <see langword="null"/> where the server cannot. On llama.cpp the streamed
/// request must carry <c>reasoning_control: true</c> (<c>ChatOptions.AdditionalProperties["reasoning_control"] = true</c>), and the id to give is
/// the <c>ResponseId</c> of the stream's updates (the first one carries it).
/// </remarks>
public interface IReasoningControl
{
    /// <summary>Asks the server to end the reasoning of a running streamed response now.</summary>
    /// <param name="responseId">The response id from the stream's updates.</param>
    /// <param name="modelId">The model the stream runs on (a router needs it to find the stream); <see langword="null"/> for the client's model.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when the server ended the reasoning; <see langword="false"/> when that response is no longer running (or
    /// was not armed), which is not an error: the answer may simply have come already.</returns>
    Task<bool> EndReasoningAsync(string responseId, string? modelId = null, CancellationToken cancellationToken = default);
}
