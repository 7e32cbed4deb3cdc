using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Adds <see cref="BatchingEmbeddingGenerator"/> to an embedding pipeline.</summary>
public static class BatchingEmbeddingGeneratorBuilderExtensions
{
    /// <summary>Splits large calls into batches of at most <paramref name="batchSize"/> inputs, at most <paramref name="maxParallelism"/> at once, keeping the input order.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="batchSize">The most inputs per request (Qwen's embedding API takes at most 10).</param>
    /// <param name="maxParallelism">The most requests run at once.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> or <paramref name="maxParallelism"/> is less than 1.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseBatching(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, int batchSize = BatchingEmbeddingGenerator.DefaultBatchSize, int maxParallelism = BatchingEmbeddingGenerator.DefaultMaxParallelism)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        return builder.Use(inner => new BatchingEmbeddingGenerator(inner, batchSize, maxParallelism));
    }
}
