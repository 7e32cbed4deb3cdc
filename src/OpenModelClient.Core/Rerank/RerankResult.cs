using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>What a reranker returned: the documents' indices with their scores, most relevant first, and the usage.</summary>
public sealed class RerankResult
{
    /// <summary>Initializes a new instance of the <see cref="RerankResult"/> class.</summary>
    /// <param name="results">The scored documents, most relevant first.</param>
    public RerankResult(IReadOnlyList<RankedDocument> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Results = results;
    }

    /// <summary>Gets the scored documents, most relevant first.</summary>
    public IReadOnlyList<RankedDocument> Results { get; }

    /// <summary>Gets the token usage, when the server reported it.</summary>
    public UsageDetails? Usage { get; init; }

    /// <summary>Gets the model that scored, when the server reported it.</summary>
    public string? ModelId { get; init; }
}
