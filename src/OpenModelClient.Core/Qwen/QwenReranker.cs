namespace OpenModelClient;

/// <summary>A reranker on Model Studio's <c>qwen3-rerank</c>: <c>POST …/compatible-api/v1/reranks</c> (https://www.alibabacloud.com/help/en/model-studio/rerank).</summary>
/// <remarks>The answer has the common shape (<c>results[].index</c>, <c>relevance_score</c>, <c>usage</c>). Instances are thread-safe.</remarks>
public sealed class QwenReranker : IReranker
{
    private readonly RerankEngine _engine;

    /// <summary>The default model: <c>qwen3-rerank</c>.</summary>
    public const string DefaultModelId = "qwen3-rerank";

    /// <summary>Initializes a new instance of the <see cref="QwenReranker"/> class.</summary>
    /// <param name="endpoint">The <c>compatible-api/v1</c> base; a <c>compatible-mode/v1</c> base (the chat client's) is turned into it.</param>
    /// <param name="modelId">The model; the default is <see cref="DefaultModelId"/>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the instance creates and owns one.</param>
    /// <param name="apiKey">The Model Studio API key, sent as <c>Authorization: Bearer</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public QwenReranker(Uri endpoint, string modelId = DefaultModelId, HttpClient? httpClient = null, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var apiBase = new Uri(EndpointUtilities.WithTrailingSlash(endpoint).ToString().Replace("/compatible-mode/", "/compatible-api/", StringComparison.Ordinal));
        _engine = new RerankEngine(ProviderNames.Qwen, new Uri(apiBase, "reranks"), modelId, apiKey, httpClient, null);
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
