using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Splits a large embedding call into batches the server accepts, runs them with bounded parallelism and returns the
/// embeddings in input order.</summary>
/// <remarks>
/// Each batch is one call to the inner generator, so a configured client's retry pipeline retries a failed batch alone. A batch
/// that still fails ends the call with <see cref="EmbeddingBatchFailedException"/>, naming the batch and its inputs; the other
/// batches are cancelled. Progress is reported per completed batch to an <see cref="IProgress{T}"/> of
/// <see cref="EmbeddingProgress"/> passed in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> under
/// <see cref="ProgressPropertyName"/> (it is removed before the options reach the server). A call no larger than one batch
/// passes through unchanged.
/// </remarks>
public sealed class BatchingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The key of <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> whose value, an <see cref="IProgress{T}"/> of <see cref="EmbeddingProgress"/>, receives progress.</summary>
    public const string ProgressPropertyName = "OpenModelClient.EmbeddingProgress";

    /// <summary>The default number of inputs per request.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The default number of requests run at once.</summary>
    public const int DefaultMaxParallelism = 4;

    /// <summary>Initializes a new instance of the <see cref="BatchingEmbeddingGenerator"/> class.</summary>
    /// <param name="innerGenerator">The generator each batch is sent to.</param>
    /// <param name="batchSize">The most inputs per request (Qwen's embedding API takes at most 10).</param>
    /// <param name="maxParallelism">The most requests run at once; a concurrency limit on the endpoint bounds it further.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> or <paramref name="maxParallelism"/> is less than 1.</exception>
    public BatchingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, int batchSize = DefaultBatchSize, int maxParallelism = DefaultMaxParallelism)
        : base(innerGenerator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        BatchSize = batchSize;
        MaxParallelism = maxParallelism;
    }

    /// <summary>Gets the most inputs per request.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the most requests run at once.</summary>
    public int MaxParallelism { get; }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var progress = TakeProgress(ref options);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        int batchCount = (inputs.Count + BatchSize - 1) / BatchSize;
        if (batchCount <= 1)
        {
            var single = await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false);
            progress?.Report(new EmbeddingProgress(inputs.Count, inputs.Count, batchCount, batchCount));
            return single;
        }

        var results = new Embedding<float>[inputs.Count];
        var usage = new UsageDetails();
        bool hasUsage = false;
        int completedInputs = 0, completedBatches = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, batchCount), parallel, async (batch, token) =>
        {
            int start = batch * BatchSize;
            int count = Math.Min(BatchSize, inputs.Count - start);
            GeneratedEmbeddings<Embedding<float>> part;
            try
            {
                part = await base.GenerateAsync(Slice(inputs, start, count), options, token).ConfigureAwait(false);
                if (part.Count != count)
                {
                    throw new OpenModelProtocolException(ProviderName, null, $"the server returned {part.Count} embeddings for {count} inputs");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                throw new EmbeddingBatchFailedException(ProviderName, batch, batchCount, start, count, e);
            }

            part.CopyTo(results, start);
            if (part.Usage is { } partUsage)
            {
                lock (usage)
                {
                    usage.Add(partUsage);
                    hasUsage = true;
                }
            }

            if (progress is not null)
            {
                int inputsDone = Interlocked.Add(ref completedInputs, count);
                progress.Report(new EmbeddingProgress(inputsDone, inputs.Count, Interlocked.Increment(ref completedBatches), batchCount));
            }
        }).ConfigureAwait(false);

        return new GeneratedEmbeddings<Embedding<float>>(results) { Usage = hasUsage ? usage : null };
    }

    private string ProviderName => InnerGenerator.GetService<EmbeddingGeneratorMetadata>()?.ProviderName ?? "unknown";

    private static IProgress<EmbeddingProgress>? TakeProgress(ref EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(ProgressPropertyName, out object? value) != true)
        {
            return null;
        }

        options = options.Clone();
        options.AdditionalProperties!.Remove(ProgressPropertyName);
        return value as IProgress<EmbeddingProgress>;
    }

    private static string[] Slice(IReadOnlyList<string> inputs, int start, int count)
    {
        var slice = new string[count];
        for (int i = 0; i < count; i++)
        {
            slice[i] = inputs[start + i];
        }

        return slice;
    }
}
