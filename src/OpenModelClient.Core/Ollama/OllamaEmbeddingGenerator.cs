using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over Ollama's native <c>/api/embed</c>: one string or a batch, <c>dimensions</c>, <c>truncate</c>, <c>keep_alive</c>.</summary>
/// <remarks>
/// The endpoint is the server root (<c>http://localhost:11434</c>). <see cref="EmbeddingGenerationOptions.Dimensions"/> becomes <c>dimensions</c>;
/// <c>keep_alive</c>, <c>truncate</c> and runtime <c>options</c> come from <see cref="OllamaEmbeddingGeneratorOptions"/>, or per request from an
/// <see cref="OllamaRequestSettings"/> (through <c>RawRepresentationFactory</c> or <c>AdditionalProperties[</c><see cref="OllamaRequestSettings.AdditionalPropertiesKey"/><c>]</c>).
/// Usage carries <c>prompt_eval_count</c> as input tokens and the durations under <see cref="UsageCountKeys"/>.
/// A model that cannot embed answers 501 (<see cref="OpenModelErrorKind.NotSupported"/>) on recent servers. Instances are thread-safe.
/// </remarks>
public sealed class OllamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ModelHttpTransport _transport;
    private readonly OllamaRequestSender _sender;
    private readonly OllamaClientDefaults _defaults;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="OllamaEmbeddingGenerator"/> class for a local Ollama at <see cref="OllamaChatClient.DefaultEndpoint"/>.</summary>
    /// <param name="modelId">The model to use when <see cref="EmbeddingGenerationOptions.ModelId"/> is not set, e.g. <c>nomic-embed-text</c>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the generator creates and owns one.</param>
    /// <param name="options">Ollama settings; <see langword="null"/> for the defaults. They are read now; later changes have no effect.</param>
    public OllamaEmbeddingGenerator(string? modelId = null, HttpClient? httpClient = null, OllamaEmbeddingGeneratorOptions? options = null)
        : this(OllamaChatClient.DefaultEndpoint, modelId, httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OllamaEmbeddingGenerator"/> class.</summary>
    /// <param name="endpoint">The server root, e.g. <c>http://localhost:11434</c>.</param>
    /// <param name="modelId">The model to use when <see cref="EmbeddingGenerationOptions.ModelId"/> is not set, e.g. <c>nomic-embed-text</c>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the generator creates and owns one.</param>
    /// <param name="options">Ollama settings; <see langword="null"/> for the defaults. They are read now; later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public OllamaEmbeddingGenerator(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, OllamaEmbeddingGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new OllamaEmbeddingGeneratorOptions();
        var root = OllamaServer.NormalizeEndpoint(endpoint);
        _transport = new ModelHttpTransport(ProviderNames.Ollama, httpClient, options.ApiKey);
        _transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        Server = new OllamaServer(root, _transport);
        _sender = new OllamaRequestSender(Server, options.PullIfMissing, options.PullProgress, NullLogger.Instance);
        _defaults = new OllamaClientDefaults
        {
            ModelId = string.IsNullOrWhiteSpace(modelId) ? null : modelId,
            KeepAlive = options.KeepAlive,
            Truncate = options.Truncate,
            ModelOptions = OllamaClientDefaults.ToJson(options.ModelOptions),
        };
        _metadata = new EmbeddingGeneratorMetadata(ProviderNames.Ollama, root, _defaults.ModelId);
    }

    /// <summary>Gets Ollama's model management for the same endpoint, key and connection.</summary>
    public OllamaServer Server { get; }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        if (inputs.Count == 0)
        {
            return [];
        }

        var body = OllamaRequestBuilder.BuildEmbed(inputs, options, _defaults, this);
        var (response, _) = await _sender.SendAsync("api/embed", body, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var bytes = await _transport.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var parsed = OllamaWire.ParseBody(bytes, OllamaJsonContext.Default.OllamaEmbedResponse, response.StatusCode, response.Headers, "/api/embed");
            string? requestId = ProviderErrorMapper.GetRequestId(response.Headers);
            if (parsed.Error is { } error)
            {
                throw ProviderErrorMapper.FromStreamPayload(ProviderNames.Ollama, error, requestId);
            }

            if (parsed.Embeddings is not { } vectors || vectors.Count != inputs.Count)
            {
                throw new OpenModelProtocolException(ProviderNames.Ollama, response.StatusCode, $"/api/embed returned {parsed.Embeddings?.Count ?? 0} embeddings for {inputs.Count} inputs", ReceivedText.Prefix(bytes), requestId: requestId);
            }

            var created = TimeProvider.System.GetUtcNow();
            var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = parsed.Model, CreatedAt = created }))
            {
                Usage = OllamaResponseMapper.ToUsage(parsed.PromptEvalCount, null, parsed.TotalDuration, parsed.LoadDuration, null, null),
            };
            return result;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this, (typeof(EmbeddingGeneratorMetadata), _metadata), (typeof(OllamaServer), Server));

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();
}
