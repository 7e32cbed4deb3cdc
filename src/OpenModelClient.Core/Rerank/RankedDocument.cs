namespace OpenModelClient;

/// <summary>One scored document of a <see cref="RerankResult"/>.</summary>
/// <param name="Index">The document's position in the list that was sent.</param>
/// <param name="Score">Its relevance score (<c>relevance_score</c>); higher is more relevant, on a scale that depends on the model.</param>
public readonly record struct RankedDocument(int Index, double Score);
