using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Settings for one <see cref="IReranker.RerankAsync"/> call.</summary>
public sealed class RerankOptions
{
    /// <summary>Gets or sets how many of the most relevant documents to return (<c>top_n</c>); <see langword="null"/> for all.</summary>
    public int? TopN { get; set; }

    /// <summary>Gets or sets the model; <see langword="null"/> for the reranker's default.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets provider-specific request fields, added to the body as they are (e.g. Qwen's <c>instruct</c>).</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }
}
