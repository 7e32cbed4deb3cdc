using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Counts the input tokens of a chat request before it is sent, as the server itself would: chat template, tools and all.</summary>
/// <remarks>
/// Obtained from a chat client with <c>GetService&lt;IInputTokenCounter&gt;()</c>, which returns <see langword="null"/> for clients whose server has no
/// way to count. The count is exact or unavailable (<see cref="InputTokenCount.IsAvailable"/>), never an estimate.
/// </remarks>
public interface IInputTokenCounter
{
    /// <summary>Asks the server how many input tokens this request has.</summary>
    /// <param name="messages">The conversation, as it would be sent.</param>
    /// <param name="options">The request options, as they would be sent (tools and the model count).</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The exact count, or the reason it is unavailable.</returns>
    /// <exception cref="OpenModelException">The server refused the request itself (it would refuse to run it too).</exception>
    Task<InputTokenCount> CountInputTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);
}
