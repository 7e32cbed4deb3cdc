namespace OpenModelClient;

/// <summary>A reranker on llama.cpp's <c>POST /v1/rerank</c>, for a server started with <c>--reranking</c> (or <c>--embeddings --pooling rank</c>) and a reranker model.</summary>
/// <remarks>A server without a reranker answers 501: an <see cref="OpenModelException"/> whose <see cref="OpenModelException.Kind"/> is <see cref="OpenModelErrorKind.NotSupported"/>. Instances are thread-safe.</remarks>
public sealed class LlamaCppReranker : IReranker
{
    private readonly RerankEngine _engine;

    /// <summary>Initializes a new instance of the <see cref="LlamaCppReranker"/> class.</summary>
    /// <param name="endpoint">The server root, e.g. <c>http://localhost:8080</c>; a trailing <c>/v1</c> is accepted.</param>
    /// <param name="modelId">The model, for a router-mode server; <see langword="null"/> for a single-model server.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the instance creates and owns one.</param>
    /// <param name="options">Provider settings (API key, response limits); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public LlamaCppReranker(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, LlamaCppClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new LlamaCppClientOptions();
        _engine = new RerankEngine(ProviderNames.LlamaCpp, new Uri(EndpointUtilities.ServerRoot(endpoint), "v1/rerank"), modelId, options.ApiKey, httpClient, "start llama-server with --reranking and a reranker model");
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
    }

    /// <inheritdoc />
    public Task<RerankResult> RerankAsync(string query, IEnumerable<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.RerankAsync(query, documents, options, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this);

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
