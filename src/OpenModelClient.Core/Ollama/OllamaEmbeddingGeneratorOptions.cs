namespace OpenModelClient;

/// <summary>Settings for <see cref="OllamaEmbeddingGenerator"/>; read once, when the generator is constructed.</summary>
public sealed class OllamaEmbeddingGeneratorOptions
{
    /// <summary>Gets or sets the key for hosted Ollama (<c>https://ollama.com</c>), sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets how long the model stays loaded after each request (<c>keep_alive</c>).</summary>
    /// <value>The default is <see langword="null"/>: the server's default (5 minutes).</value>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Gets or sets whether an input longer than the context is cut (<c>truncate</c>); when <see langword="false"/>, too long an input is an error.</summary>
    /// <value>The default is <see langword="null"/> (server default: cut).</value>
    public bool? Truncate { get; set; }

    /// <summary>Gets or sets the runtime <c>options</c> (e.g. <see cref="OllamaModelOptions.NumCtx"/>) sent with every request.</summary>
    /// <value>The default is an instance with nothing set.</value>
    public OllamaModelOptions ModelOptions { get; set; } = new();

    /// <summary>Gets or sets a value indicating whether a model the server does not have is pulled, after which the request is sent again once.</summary>
    /// <value>The default is <see langword="false"/>: a missing model throws <see cref="ModelNotFoundException"/> saying how to pull it.</value>
    public bool PullIfMissing { get; set; }

    /// <summary>Gets or sets where the progress of a pull started by <see cref="PullIfMissing"/> is reported.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IProgress<OllamaPullProgress>? PullProgress { get; set; }
}
