namespace OpenModelClient;

/// <summary>Scores documents by their relevance to a query (a cross-encoder reranker), for retrieval pipelines.</summary>
/// <remarks>
/// Microsoft.Extensions.AI has no rerank abstraction yet; this one is kept to the minimum (query, documents, top N → scored
/// indices and usage) in its style so it can be adapted when one appears. Implementations: <see cref="LlamaCppReranker"/>,
/// <see cref="OpenAICompatibleReranker"/> (vLLM and other servers with <c>/rerank</c>) and <see cref="QwenReranker"/>.
/// </remarks>
public interface IReranker : IDisposable
{
    /// <summary>Scores <paramref name="documents"/> against <paramref name="query"/>.</summary>
    /// <param name="query">The query.</param>
    /// <param name="documents">The candidate documents; the results refer to them by index.</param>
    /// <param name="options">The number of results to keep and other settings; <see langword="null"/> for all results.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The documents' indices with their scores, most relevant first.</returns>
    /// <exception cref="ArgumentException">The query is empty, or there are no documents.</exception>
    /// <exception cref="OpenModelException">The server refused (<see cref="OpenModelErrorKind.NotSupported"/> when it has no reranker).</exception>
    Task<RerankResult> RerankAsync(string query, IEnumerable<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Asks for an object of the given type: the reranker's <c>RerankerMetadata</c>-like services, or the instance itself.</summary>
    /// <param name="serviceType">The type of object being requested.</param>
    /// <param name="serviceKey">An optional key; none are supported.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
