using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The output limit cut a tool call off in the middle of its arguments, so the call was not handed on.</summary>
/// <remarks>Raised by <see cref="TruncatedToolCallChatClient"/>. Raise <c>MaxOutputTokens</c>, or let the guard ask once more with a larger
/// limit (<see cref="TruncatedToolCallChatClient.RetryWithLargerLimit"/>).</remarks>
public sealed class TruncatedToolCallException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="TruncatedToolCallException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="toolName">The name of the tool the cut-off call was for (may be empty when the name was cut off too).</param>
    /// <param name="partialArguments">The argument text that arrived before the limit.</param>
    /// <param name="maxOutputTokens">The output limit the request set, if any.</param>
    /// <param name="requestId">The response id, if any.</param>
    public TruncatedToolCallException(string provider, string toolName, string? partialArguments, int? maxOutputTokens, string? requestId = null)
        : base(OpenModelErrorKind.OutputLimitReached, provider, null,
            $"the output limit{(maxOutputTokens is { } m ? $" of {m} tokens" : string.Empty)} cut off a call to '{toolName}' in its arguments", "tool_call_truncated", requestId)
    {
        ToolName = toolName ?? string.Empty;
        PartialArguments = partialArguments;
        MaxOutputTokens = maxOutputTokens;
    }

    /// <summary>Gets the name of the tool the cut-off call was for.</summary>
    public string ToolName { get; }

    /// <summary>Gets the argument text that arrived before the limit, if any. It may hold user data: do not log it carelessly.</summary>
    public string? PartialArguments { get; }

    /// <summary>Gets the output limit the request set (<c>MaxOutputTokens</c>), if any.</summary>
    public int? MaxOutputTokens { get; }

    /// <summary>Gets the whole reply that was cut off, including the incomplete call.</summary>
    public ChatResponse? Response { get; init; }
}
