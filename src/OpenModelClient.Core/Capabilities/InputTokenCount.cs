namespace OpenModelClient;

/// <summary>The input tokens of a chat request as the server counts them, or why the server cannot say.</summary>
public sealed class InputTokenCount
{
    private InputTokenCount(long? inputTokens, long? contextLength, string source, string? unavailableReason)
    {
        InputTokens = inputTokens;
        ContextLength = contextLength;
        Source = source;
        UnavailableReason = unavailableReason;
    }

    /// <summary>Gets the exact number of input tokens; <see langword="null"/> when unavailable.</summary>
    public long? InputTokens { get; }

    /// <summary>Gets the model's context length when the server reported it with the count (vLLM <c>max_model_len</c>); otherwise <see langword="null"/>.</summary>
    public long? ContextLength { get; }

    /// <summary>Gets whether <see cref="InputTokens"/> holds the server's exact count.</summary>
    public bool IsAvailable => InputTokens is not null;

    /// <summary>Gets the endpoint that counted, e.g. <c>llama.cpp /v1/chat/completions/input_tokens</c> or <c>vllm /tokenize</c>.</summary>
    public string Source { get; }

    /// <summary>Gets why the count is unavailable; <see langword="null"/> when it is available.</summary>
    public string? UnavailableReason { get; }

    /// <summary>An exact count.</summary>
    /// <param name="inputTokens">The input tokens.</param>
    /// <param name="source">The endpoint that counted.</param>
    /// <param name="contextLength">The context length the server reported with it, if any.</param>
    /// <returns>The count.</returns>
    public static InputTokenCount Exact(long inputTokens, string source, long? contextLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return new(inputTokens, contextLength, source, null);
    }

    /// <summary>A count the server cannot give.</summary>
    /// <param name="source">The endpoint that was asked.</param>
    /// <param name="reason">Why there is no count.</param>
    /// <returns>The unavailable count.</returns>
    public static InputTokenCount Unavailable(string source, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(null, null, source, reason);
    }

    /// <inheritdoc />
    public override string ToString() => IsAvailable ? $"{InputTokens} input tokens ({Source})" : $"unavailable ({Source}): {UnavailableReason}";
}
