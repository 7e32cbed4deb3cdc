using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over <c>/embeddings</c> of any OpenAI-compatible server.</summary>
public sealed class OpenAICompatibleEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleEmbeddingGenerator"/> class.</summary>
    /// <param name="endpoint">The API base, e.g. <c>http://localhost:8000/v1</c>; <see langword="null"/> for the preset's default address.</param>
    /// <param name="modelId">The embedding model to use when <see cref="EmbeddingGenerationOptions.ModelId"/> is not set.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/> and the preset is <see cref="OpenAICompatiblePreset.Generic"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public OpenAICompatibleEmbeddingGenerator(Uri? endpoint, string? modelId = null, HttpClient? httpClient = null, OpenAICompatibleClientOptions? options = null)
    {
        options ??= new OpenAICompatibleClientOptions();
        var apiBase = OpenAICompatiblePresets.ResolveEndpoint(endpoint, options.Preset);
        _engine = new OpenAICompatibleChatEngine(OpenAICompatibleChatClient.CreateDialect(options), apiBase, modelId, options.ApiKey, httpClient, splitThinkTags: false);
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        _metadata = new EmbeddingGeneratorMetadata(_engine.ProviderName, _engine.ApiBase, modelId);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GenerateEmbeddingsAsync(values, options, _engine.DefaultModelId, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this, (typeof(EmbeddingGeneratorMetadata), _metadata));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
