namespace OpenModelClient;

/// <summary>A reranker on an OpenAI-compatible server's <c>POST {base}/rerank</c>: vLLM serves it at <c>/v1/rerank</c> for a cross-encoder model.</summary>
/// <remarks>Instances are thread-safe.</remarks>
public sealed class OpenAICompatibleReranker : IReranker
{
    private readonly RerankEngine _engine;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleReranker"/> class.</summary>
    /// <param name="endpoint">The API base, e.g. <c>http://localhost:8000/v1</c>.</param>
    /// <param name="modelId">The reranker model.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the instance creates and owns one.</param>
    /// <param name="options">Provider settings (API key, response limits, preset, provider name); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public OpenAICompatibleReranker(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, OpenAICompatibleClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new OpenAICompatibleClientOptions();
        var apiBase = EndpointUtilities.WithTrailingSlash(endpoint);
        _engine = new RerankEngine(OpenAICompatiblePresets.CreateDialect(options).ProviderName, new Uri(apiBase, "rerank"), modelId, options.ApiKey, httpClient, null);
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
