namespace OpenModelClient;

/// <summary>One batch of a batched embedding call failed after its own retries; it says which inputs the failed batch held.</summary>
/// <remarks>The other batches were cancelled; none of the call's embeddings are returned. The failure itself is the inner exception;
/// <see cref="OpenModelException.Kind"/> and the status are copied from it when it is an <see cref="OpenModelException"/>.</remarks>
public sealed class EmbeddingBatchFailedException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddingBatchFailedException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="batchIndex">The zero-based index of the failed batch.</param>
    /// <param name="batchCount">How many batches the call was split into.</param>
    /// <param name="startIndex">The index, among the call's inputs, of the failed batch's first input.</param>
    /// <param name="count">How many inputs the failed batch held.</param>
    /// <param name="innerException">Why the batch failed.</param>
    public EmbeddingBatchFailedException(string provider, int batchIndex, int batchCount, int startIndex, int count, Exception innerException)
        : base(
            (innerException as OpenModelException)?.Kind ?? OpenModelErrorKind.Unknown,
            provider,
            (innerException as HttpRequestException)?.StatusCode,
            $"embedding batch {batchIndex + 1} of {batchCount} (inputs {startIndex} to {startIndex + count - 1}) failed: {innerException?.Message}",
            (innerException as OpenModelException)?.ErrorCode,
            (innerException as OpenModelException)?.RequestId,
            innerException)
    {
        BatchIndex = batchIndex;
        BatchCount = batchCount;
        StartIndex = startIndex;
        Count = count;
    }

    /// <summary>Gets the zero-based index of the failed batch.</summary>
    public int BatchIndex { get; }

    /// <summary>Gets how many batches the call was split into.</summary>
    public int BatchCount { get; }

    /// <summary>Gets the index, among the call's inputs, of the failed batch's first input.</summary>
    public int StartIndex { get; }

    /// <summary>Gets how many inputs the failed batch held.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public override bool IsTransient => InnerException is OpenModelException { IsTransient: true };
}
