namespace OpenModelClient;

/// <summary>Ollama settings for one request, typed: return it from <see cref="Microsoft.Extensions.AI.ChatOptions.RawRepresentationFactory"/>, or put it in <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> under <see cref="AdditionalPropertiesKey"/>.</summary>
/// <remarks>
/// Every property left <see langword="null"/> falls back to the client's options, then to the server's default.
/// Precedence, lowest to highest: the client's options; the typed <c>ChatOptions</c> properties (<c>Temperature</c>, <c>Reasoning</c>, …);
/// these settings; raw <c>AdditionalProperties</c> entries, merged into the request body by key (e.g. <c>"options": {"num_ctx": 8192}</c>);
/// and a <see cref="System.Text.Json.Nodes.JsonObject"/> returned by <c>RawRepresentationFactory</c>, whose keys always win.
/// The same type works with <see cref="OllamaEmbeddingGenerator"/> (through <c>EmbeddingGenerationOptions</c>), where only
/// <see cref="KeepAlive"/>, <see cref="Truncate"/> and <see cref="ModelOptions"/> apply.
/// </remarks>
public sealed class OllamaRequestSettings
{
    /// <summary>The <c>AdditionalProperties</c> key under which an <see cref="OllamaRequestSettings"/> instance is read. It is never sent as a field.</summary>
    public const string AdditionalPropertiesKey = "ollama.settings";

    /// <summary>Gets or sets how long the model stays loaded after this request (<c>keep_alive</c>).</summary>
    /// <value>The default is <see langword="null"/>. <see cref="TimeSpan.Zero"/> unloads the model at once; <see cref="Timeout.InfiniteTimeSpan"/> or any negative value keeps it loaded.</value>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Gets or sets the <c>think</c> value, which overrides what <c>ChatOptions.Reasoning</c> maps to.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public OllamaThinkMode? Think { get; set; }

    /// <summary>Gets or sets runtime options for this request; each set property overrides the client's and the <c>ChatOptions</c> value.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public OllamaModelOptions? ModelOptions { get; set; }

    /// <summary>Gets or sets whether input longer than the context is cut (<c>truncate</c>); when <see langword="false"/>, too long an input is an error.</summary>
    /// <value>The default is <see langword="null"/> (server default: cut).</value>
    public bool? Truncate { get; set; }

    /// <summary>Gets or sets whether the context is shifted when a chat outgrows it (<c>shift</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default: shift).</value>
    public bool? Shift { get; set; }

    /// <summary>Gets or sets whether token log-probabilities are returned (<c>logprobs</c>); they appear in each update's <c>AdditionalProperties["logprobs"]</c>.</summary>
    /// <value>The default is <see langword="null"/> (off).</value>
    public bool? Logprobs { get; set; }

    /// <summary>Gets or sets how many alternatives per token are returned with <see cref="Logprobs"/> (<c>top_logprobs</c>, 0–20).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? TopLogprobs { get; set; }
}
