namespace OpenModelClient;

/// <summary>How a configured embedding generator splits large calls, under the section's <c>Embeddings</c> key.</summary>
/// <remarks>A call with more inputs than <see cref="BatchSize"/> is sent as several requests, at most <see cref="MaxParallelism"/> at
/// once, and the embeddings come back in input order; see <see cref="BatchingEmbeddingGenerator"/>.</remarks>
public sealed class OpenModelEmbeddingOptions
{
    /// <summary>Gets or sets the most inputs per request (<c>Embeddings:BatchSize</c>).</summary>
    /// <value>The default depends on the provider: 10 for Qwen (the API's limit), 32 for llama.cpp, 64 for the others.</value>
    public int? BatchSize { get; set; }

    /// <summary>Gets or sets the most requests run at once (<c>Embeddings:MaxParallelism</c>).</summary>
    /// <value>The default is <c>Concurrency:MaxConcurrentRequests</c> when set, else 4.</value>
    public int? MaxParallelism { get; set; }

    internal const int MaxBatchSize = 2048;

    internal const int MaxParallelismLimit = 256;

    /// <summary>The batch size in force: the configured one, or the provider's default.</summary>
    internal static int EffectiveBatchSize(OpenModelClientOptions options) =>
        options.Embeddings.BatchSize ?? OpenModelProviders.For(options.Provider ?? OpenModelProvider.OpenAICompatible).EmbeddingBatchSize;

    /// <summary>The parallelism in force: the configured one, else the concurrency limit, else 4.</summary>
    internal static int EffectiveMaxParallelism(OpenModelClientOptions options) =>
        options.Embeddings.MaxParallelism ?? options.Concurrency.MaxConcurrentRequests ?? BatchingEmbeddingGenerator.DefaultMaxParallelism;
}
