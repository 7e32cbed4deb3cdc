using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over llama.cpp's <c>/v1/embeddings</c> (the server must run with <c>--embeddings</c>).</summary>
/// <remarks>A server started without <c>--embeddings</c> answers 501, surfaced as an <see cref="OpenModelException"/> of kind <see cref="OpenModelErrorKind.NotSupported"/>.</remarks>
public sealed class LlamaCppEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="LlamaCppEmbeddingGenerator"/> class for a local server at <see cref="LlamaCppChatClient.DefaultEndpoint"/>.</summary>
    /// <param name="modelId">The model to request; <see langword="null"/> lets a single-model server use its own.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    public LlamaCppEmbeddingGenerator(string? modelId = null, HttpClient? httpClient = null, LlamaCppClientOptions? options = null)
        : this(LlamaCppChatClient.DefaultEndpoint, modelId, httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlamaCppEmbeddingGenerator"/> class.</summary>
    /// <param name="endpoint">The server root, e.g. <c>http://localhost:8080</c>.</param>
    /// <param name="modelId">The model to request; <see langword="null"/> lets a single-model server use its own.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public LlamaCppEmbeddingGenerator(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, LlamaCppClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new LlamaCppClientOptions();
        var root = EndpointUtilities.ServerRoot(endpoint);
        _engine = new OpenAICompatibleChatEngine(LlamaCppDialect.Instance, new Uri(root, "v1/"), modelId, options.ApiKey, httpClient, splitThinkTags: false);
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        Server = new LlamaCppServer(root, _engine.Transport, options.TimeProvider, _engine);
        _metadata = new EmbeddingGeneratorMetadata(ProviderNames.LlamaCpp, root, modelId);
    }

    /// <summary>Gets the llama.cpp server extras for the same endpoint and credentials.</summary>
    public LlamaCppServer Server { get; }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GenerateEmbeddingsAsync(values, options, _engine.DefaultModelId, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this, (typeof(EmbeddingGeneratorMetadata), _metadata), (typeof(LlamaCppServer), Server));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
