using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>Settings for a raw-prompt completion on llama.cpp's native <c>/completion</c> endpoint.</summary>
public sealed class LlamaCppCompletionOptions
{
    /// <summary>Gets or sets the most tokens to generate (<c>n_predict</c>).</summary>
    /// <value>The default is <see langword="null"/>: the server's setting (unlimited unless started otherwise).</value>
    public int? MaxTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature.</summary>
    /// <value>The default is <see langword="null"/>: the server's (0.8).</value>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets top-k sampling.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? TopK { get; set; }

    /// <summary>Gets or sets nucleus sampling.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public float? TopP { get; set; }

    /// <summary>Gets or sets the seed.</summary>
    /// <value>The default is <see langword="null"/>: random.</value>
    public long? Seed { get; set; }

    /// <summary>Gets or sets strings that stop generation.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IList<string>? Stop { get; set; }

    /// <summary>Gets or sets how many candidate tokens with probabilities to return per generated token (<c>n_probs</c>).</summary>
    /// <value>The default is <see langword="null"/>: none.</value>
    public int? ProbabilityCount { get; set; }

    /// <summary>Gets or sets a GBNF grammar constraining the output.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Grammar { get; set; }

    /// <summary>Gets or sets any other <c>/completion</c> fields (e.g. <c>cache_prompt</c>, <c>id_slot</c>, <c>mirostat</c>), merged into the request as-is.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public JsonObject? AdditionalProperties { get; set; }
}
