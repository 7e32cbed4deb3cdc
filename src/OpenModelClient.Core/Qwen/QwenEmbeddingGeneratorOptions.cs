namespace OpenModelClient;

/// <summary>Settings for <see cref="QwenEmbeddingGenerator"/>; read once, when the generator is constructed.</summary>
public sealed class QwenEmbeddingGeneratorOptions
{
    /// <summary>Gets or sets the Model Studio (DashScope) API key, sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header, so the API answers 401.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages. It works only in its own region.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets the vector size requested when <c>EmbeddingGenerationOptions.Dimensions</c> is not set.</summary>
    /// <value>
    /// The default is <see langword="null"/>: the model's default (1024 for <c>text-embedding-v4</c>, which also offers 2048, 1536, 768, 512,
    /// 256, 128 and 64).
    /// </value>
    public int? Dimensions { get; set; }

    /// <summary>Gets or sets the largest number of inputs sent in one request; larger batches are split and the results joined in input order.</summary>
    /// <value>The default is 10, the limit of <c>text-embedding-v4</c> and <c>text-embedding-v3</c>.</value>
    public int MaxBatchSize { get; set; } = QwenEmbeddingGenerator.DefaultMaxBatchSize;
}
