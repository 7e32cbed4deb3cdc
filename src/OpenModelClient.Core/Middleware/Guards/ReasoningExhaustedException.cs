namespace OpenModelClient;

/// <summary>The model spent the whole output budget thinking: the reply ended at the token limit with reasoning and no answer.</summary>
/// <remarks>Raised by <see cref="AnswerRoomChatClient"/> instead of returning the empty answer as a success. Raise <c>MaxOutputTokens</c>,
/// lower the reasoning effort, or let the guard ask once more with thinking off (<see cref="AnswerRoomChatClient.RetryWithoutThinking"/>).</remarks>
public sealed class ReasoningExhaustedException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="ReasoningExhaustedException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="reasoning">The reasoning the model produced before the limit.</param>
    /// <param name="maxOutputTokens">The output limit the request set, if any.</param>
    /// <param name="outputTokens">The output tokens the server reported, if any.</param>
    /// <param name="requestId">The response id, if any.</param>
    public ReasoningExhaustedException(string provider, string reasoning, int? maxOutputTokens, long? outputTokens, string? requestId = null)
        : base(OpenModelErrorKind.OutputLimitReached, provider, null, Describe(maxOutputTokens, outputTokens), "reasoning_exhausted", requestId)
    {
        Reasoning = reasoning ?? string.Empty;
        MaxOutputTokens = maxOutputTokens;
        OutputTokens = outputTokens;
    }

    /// <summary>Gets the reasoning the model produced before it ran out of tokens.</summary>
    public string Reasoning { get; }

    /// <summary>Gets the output limit the request set (<c>MaxOutputTokens</c>), if any.</summary>
    public int? MaxOutputTokens { get; }

    /// <summary>Gets the output tokens the server reported, if any.</summary>
    public long? OutputTokens { get; }

    private static string Describe(int? max, long? used) =>
        $"the reply is reasoning only: thinking used the output budget{(max is { } m ? $" of {m} tokens" : string.Empty)}{(used is { } u ? $" ({u} tokens generated)" : string.Empty)} and no answer was produced";
}
