using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>An <see cref="IChatClient"/> for llama.cpp's <c>llama-server</c>.</summary>
/// <remarks>
/// The endpoint is the server root (<c>http://localhost:8080</c>; a trailing <c>/v1</c> is accepted). The model id is optional:
/// a single-model server ignores it, a router-mode server needs it. llama.cpp extras — readiness, <c>/props</c>, models,
/// tokenization — are on <see cref="Server"/>, also reachable through <c>GetService(typeof(LlamaCppServer))</c>; exact input-token
/// counts before sending through <c>GetService(typeof(IInputTokenCounter))</c>.
/// Provider-specific request fields (<c>grammar</c>, <c>cache_prompt</c>, <c>id_slot</c>, <c>chat_template_kwargs</c>, …)
/// pass through from <see cref="ChatOptions.AdditionalProperties"/>. Instances are thread-safe.
/// </remarks>
public sealed class LlamaCppChatClient : IChatClient
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly ChatClientMetadata _metadata;
    private readonly ModelCapabilitiesProvider _capabilities;
    private readonly LlamaCppInputTokenCounter _tokenCounter;
    private readonly LlamaCppReasoningControl _reasoningControl;

    /// <summary>Gets the address a <c>llama-server</c> started without <c>--host</c> and <c>--port</c> listens on, <c>http://localhost:8080/</c>.</summary>
    /// <remarks>Port 8080 is the default up to at least build b10309 (August 2026); llama.cpp has announced 9931 as the future default
    /// (https://github.com/ggml-org/llama.cpp/pull/26508), so pass the endpoint explicitly for a server started with another port.</remarks>
    public static Uri DefaultEndpoint { get; } = new("http://localhost:8080/");

    /// <summary>Initializes a new instance of the <see cref="LlamaCppChatClient"/> class for a local server at <see cref="DefaultEndpoint"/>.</summary>
    /// <param name="modelId">The model to request; <see langword="null"/> lets a single-model server use its own.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    public LlamaCppChatClient(string? modelId = null, HttpClient? httpClient = null, LlamaCppClientOptions? options = null)
        : this(DefaultEndpoint, modelId, httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlamaCppChatClient"/> class.</summary>
    /// <param name="endpoint">The server root, e.g. <c>http://localhost:8080</c>.</param>
    /// <param name="modelId">The model to request; <see langword="null"/> lets a single-model server use its own.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public LlamaCppChatClient(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, LlamaCppClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new LlamaCppClientOptions();
        var root = EndpointUtilities.ServerRoot(endpoint);
        _engine = new OpenAICompatibleChatEngine(CreateDialect(options), new Uri(root, "v1/"), modelId, options.ApiKey, httpClient, options.SplitThinkTags)
        {
            ChatQuery = options.AutoloadModels switch { true => "?autoload=true", false => "?autoload=false", null => string.Empty },
        };
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        if (options.ResumableStreams)
        {
            _engine.StreamResumption = new LlamaCppStreamResumption(root, _engine.Transport);
        }

        _reasoningControl = new LlamaCppReasoningControl(root, _engine.Transport, modelId);
        Server = new LlamaCppServer(root, _engine.Transport, options.TimeProvider, _engine);
        _tokenCounter = new LlamaCppInputTokenCounter(
            new ServerInputTokenCounter(_engine, this, new Uri(root, "v1/chat/completions/input_tokens"), ServerInputTokenCounter.Form.InputTokensEndpoint), Server, modelId);
        _metadata = new ChatClientMetadata(ProviderNames.LlamaCpp, root, modelId);
        var server = Server;
        bool resumable = options.ResumableStreams;
        _capabilities = new ModelCapabilitiesProvider(async ct => LlamaCppCapabilities.From(await server.GetPropertiesAsync(ct).ConfigureAwait(false), resumable), options.TimeProvider);
    }

    /// <summary>Gets the llama.cpp server extras (readiness, properties, models, tokenization) for the same endpoint and credentials.</summary>
    public LlamaCppServer Server { get; }

    internal static OpenAICompatibleDialect CreateDialect(LlamaCppClientOptions options) =>
        options.IncludeUsageInStream ? LlamaCppDialect.Instance : LlamaCppDialect.Create(includeUsageInStream: false);

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GetResponseAsync(messages, options, this, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GetStreamingResponseAsync(messages, options, this, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this,
            (typeof(ChatClientMetadata), _metadata),
            (typeof(ModelCapabilitiesProvider), _capabilities),
            (typeof(LlamaCppServer), Server),
            (typeof(IModelLifecycle), Server),
            (typeof(IInputTokenCounter), _tokenCounter),
            (typeof(IReasoningControl), _reasoningControl));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
