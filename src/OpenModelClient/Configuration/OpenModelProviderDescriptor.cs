using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>
/// Everything the DI layer knows about one provider, in one place: the factory, the validator, the resilience profile and the
/// concurrency gate all read it. A new OpenAI-compatible provider is a folder in OpenModelClient.Core and one entry in
/// <see cref="OpenModelProviders"/>.
/// </summary>
internal sealed record OpenModelProviderDescriptor
{
    public required OpenModelProvider Provider { get; init; }

    /// <summary>Gets a value indicating whether this is a hosted API (a key is required; shorter first-chunk and idle limits and a total limit) rather than a server of one's own.</summary>
    public bool Hosted { get; init; }

    /// <summary>Gets the environment variable the provider's own tools read for the key, used when the section has no <c>ApiKey</c>.</summary>
    public Func<OpenModelClientOptions, string?> ApiKeyVariable { get; init; } = _ => null;

    /// <summary>Gets the address used when no <c>Endpoint</c> is configured; <see langword="null"/> when the provider has none and the key is required.</summary>
    public Func<OpenModelClientOptions, Uri?> DefaultEndpoint { get; init; } = _ => null;

    /// <summary>Gets whether an address is this provider's, so a connection string without <c>Provider</c> can name it (hosts of hosted APIs, well-known ports).</summary>
    public Func<Uri, bool>? RecognizesEndpoint { get; init; }

    /// <summary>Gets the example named when <c>Endpoint</c> is missing or wrong.</summary>
    public required string ExampleEndpoint { get; init; }

    /// <summary>Gets a value indicating whether a chat client needs <c>Model</c> (a single-model llama.cpp server does not).</summary>
    public bool RequiresModel { get; init; } = true;

    /// <summary>Gets the text that follows "needs the model id to use" when <c>Model</c> is missing.</summary>
    public string ModelExample { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether <c>Concurrency:FromServer</c> can read the server's slot count (llama.cpp <c>/props</c> <c>total_slots</c>).</summary>
    public bool ReadsServerSlots { get; init; }

    /// <summary>Gets the OpenTelemetry <c>gen_ai.provider.name</c> the client reports, so timeouts, retries and server errors name the provider alike.</summary>
    public required Func<OpenModelClientOptions, string> TelemetryName { get; init; }

    /// <summary>Gets checks of keys only this provider reads, adding one message per problem (the key-naming function is the second argument).</summary>
    public Action<OpenModelClientOptions, Func<string, string>, List<string>>? Validate { get; init; }

    public required Func<ProviderSettings, IChatClient> CreateChatClient { get; init; }

    /// <summary>Gets the embedding-generator factory; <see langword="null"/> when the provider has no embeddings API (<see cref="NoEmbeddings"/> says so).</summary>
    public Func<ProviderSettings, IEmbeddingGenerator<string, Embedding<float>>>? CreateEmbeddingGenerator { get; init; }

    public string? NoEmbeddings { get; init; }

    /// <summary>Gets how many inputs one embeddings request carries when <c>Embeddings:BatchSize</c> is not set.</summary>
    public int EmbeddingBatchSize { get; init; } = BatchingEmbeddingGenerator.DefaultBatchSize;

    /// <summary>Gets the most inputs the provider's embeddings API accepts per request; <see langword="null"/> when it documents no limit.</summary>
    public int? MaxEmbeddingBatchSize { get; init; }

    /// <summary>Gets the reranker factory; <see langword="null"/> when the provider has no rerank API.</summary>
    public Func<ProviderSettings, IReranker>? CreateReranker { get; init; }
}

/// <summary>What a descriptor's factories receive: the validated options, the resolved endpoint and key, and the shared HTTP client.</summary>
internal sealed record ProviderSettings(OpenModelProviderDescriptor Descriptor, OpenModelClientOptions Options, string? ApiKey, HttpClient? HttpClient, ILoggerFactory? LoggerFactory)
{
    /// <summary>Gets the configured endpoint, else the provider's default; <see langword="null"/> when there is neither.</summary>
    public Uri? Endpoint => Options.Endpoint ?? Descriptor.DefaultEndpoint(Options);

    /// <summary>Gets <see cref="Endpoint"/>, or throws for a provider without a default address (the validator reports that first).</summary>
    public Uri RequiredEndpoint => Endpoint ?? throw new InvalidOperationException($"Provider '{Options.Provider}' needs an Endpoint.");

    public string? Model => string.IsNullOrWhiteSpace(Options.Model) ? null : Options.Model;

    public string? EmbeddingModel => string.IsNullOrWhiteSpace(Options.EmbeddingModel) ? Model : Options.EmbeddingModel;
}
