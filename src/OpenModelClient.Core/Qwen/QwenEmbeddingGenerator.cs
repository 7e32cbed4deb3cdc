using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over Model Studio's OpenAI-compatible <c>/embeddings</c> (<c>text-embedding-v4</c> by default).</summary>
/// <remarks>
/// Inputs beyond <see cref="QwenEmbeddingGeneratorOptions.MaxBatchSize"/> (10, the API's limit) are sent in consecutive requests; the
/// embeddings come back in input order and <see cref="GeneratedEmbeddings{TEmbedding}.Usage"/> is the sum over the requests. A failed
/// request fails the whole call. <c>EmbeddingGenerationOptions.Dimensions</c> is sent as <c>dimensions</c>. Instances are thread-safe.
/// </remarks>
public sealed class QwenEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model used when none is given: <c>text-embedding-v4</c>.</summary>
    public const string DefaultModelId = "text-embedding-v4";

    /// <summary>The default number of inputs per request: 10.</summary>
    public const int DefaultMaxBatchSize = 10;

    private readonly OpenAICompatibleChatEngine _engine;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _modelId;
    private readonly int? _dimensions;
    private readonly int _maxBatchSize;

    /// <summary>Initializes a new instance of the <see cref="QwenEmbeddingGenerator"/> class for a region's shared endpoint.</summary>
    /// <param name="region">The region the API key belongs to.</param>
    /// <param name="modelId">The embedding model; <see langword="null"/> for <see cref="DefaultModelId"/>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the generator creates and owns one.</param>
    /// <param name="options">Settings, including the API key; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="region"/> is not defined (the message lists the valid ones).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="QwenEmbeddingGeneratorOptions.MaxBatchSize"/> is less than 1.</exception>
    public QwenEmbeddingGenerator(QwenRegion region, string? modelId = null, HttpClient? httpClient = null, QwenEmbeddingGeneratorOptions? options = null)
        : this(QwenEndpoints.ForRegion(region), modelId, httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QwenEmbeddingGenerator"/> class for an explicit endpoint.</summary>
    /// <param name="endpoint">The OpenAI-compatible base, e.g. a workspace-dedicated <c>…/compatible-mode/v1</c>.</param>
    /// <param name="modelId">The embedding model; <see langword="null"/> for <see cref="DefaultModelId"/>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the generator creates and owns one.</param>
    /// <param name="options">Settings, including the API key; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="QwenEmbeddingGeneratorOptions.MaxBatchSize"/> is less than 1.</exception>
    public QwenEmbeddingGenerator(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, QwenEmbeddingGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new QwenEmbeddingGeneratorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        var apiBase = QwenEndpoints.NormalizeEndpoint(endpoint);
        _modelId = string.IsNullOrWhiteSpace(modelId) ? DefaultModelId : modelId;
        _dimensions = options.Dimensions;
        _maxBatchSize = options.MaxBatchSize;
        var dialect = QwenDialect.Create(new QwenChatClientOptions(), apiBase);
        _engine = new OpenAICompatibleChatEngine(dialect, apiBase, _modelId, options.ApiKey, httpClient, splitThinkTags: false);
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        _metadata = new EmbeddingGeneratorMetadata(ProviderNames.Qwen, _engine.ApiBase, _modelId, _dimensions);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        if (_dimensions is not null && options?.Dimensions is null)
        {
            options = options?.Clone() ?? new EmbeddingGenerationOptions();
            options.Dimensions = _dimensions;
        }

        if (inputs.Count <= _maxBatchSize)
        {
            return await _engine.GenerateEmbeddingsAsync(inputs, options, _modelId, cancellationToken).ConfigureAwait(false);
        }

        var all = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        UsageDetails? usage = null;
        for (int start = 0; start < inputs.Count; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, inputs.Count - start);
            var batch = await _engine.GenerateEmbeddingsAsync(inputs.Skip(start).Take(count), options, _modelId, cancellationToken).ConfigureAwait(false);
            if (batch.Count != count)
            {
                // Without one vector per input, results could not be matched to inputs.
                throw new OpenModelProtocolException(ProviderNames.Qwen, null, $"the embeddings response for inputs {start}–{start + count - 1} has {batch.Count} vectors, expected {count}");
            }

            all.AddRange(batch);
            if (batch.Usage is { } part)
            {
                (usage ??= new UsageDetails()).Add(part);
            }
        }

        all.Usage = usage;
        return all;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this, (typeof(EmbeddingGeneratorMetadata), _metadata));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
