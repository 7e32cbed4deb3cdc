using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>An <see cref="IChatClient"/> for any server that speaks the OpenAI chat-completions protocol: vLLM, SGLang, LM Studio, Ollama's <c>/v1</c>, and others.</summary>
/// <remarks>
/// <para>The endpoint is the base that precedes <c>/chat/completions</c>, e.g. <c>http://localhost:8000/v1</c>. With a
/// <see cref="OpenAICompatibleClientOptions.Preset"/> other than <see cref="OpenAICompatiblePreset.Generic"/> it may be omitted (the
/// server's default local address) or given as the bare server root, to which <c>/v1</c> is added.</para>
/// <para>Reasoning is read from <c>reasoning_content</c>, <c>reasoning</c> and an inline <c>&lt;think&gt;</c> block, and tagged with
/// this client's provider name (<see cref="ReasoningProvenance"/>). <c>ChatOptions.Reasoning</c> and the history rule follow the preset:
/// see <see cref="OpenAICompatiblePreset"/>. A JSON schema (<c>ChatResponseFormat.ForJsonSchema</c>) is sent as <c>response_format.json_schema</c>.
/// Provider-specific request fields pass through from <see cref="ChatOptions.AdditionalProperties"/>, merged into objects such as
/// <c>chat_template_kwargs</c>; a <c>JsonObject</c> returned by <see cref="ChatOptions.RawRepresentationFactory"/> overrides body keys.</para>
/// <para>With the vLLM preset, <c>GetService(typeof(IInputTokenCounter))</c> counts input tokens exactly with vLLM's <c>/tokenize</c>.</para>
/// <para>Instances are thread-safe and hold no per-request state.</para>
/// </remarks>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly ChatClientMetadata _metadata;
    private readonly ModelCapabilitiesProvider _capabilities;
    private readonly ServerInputTokenCounter? _tokenCounter;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleChatClient"/> class.</summary>
    /// <param name="endpoint">The API base, e.g. <c>http://localhost:8000/v1</c>; <see langword="null"/> for the preset's default address.</param>
    /// <param name="modelId">The model to use when <see cref="ChatOptions.ModelId"/> is not set.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/> and the preset is <see cref="OpenAICompatiblePreset.Generic"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL, or the preset is not defined.</exception>
    public OpenAICompatibleChatClient(Uri? endpoint, string? modelId = null, HttpClient? httpClient = null, OpenAICompatibleClientOptions? options = null)
    {
        options ??= new OpenAICompatibleClientOptions();
        var dialect = CreateDialect(options);
        var apiBase = OpenAICompatiblePresets.ResolveEndpoint(endpoint, options.Preset);
        var logger = options.LoggerFactory?.CreateLogger<OpenAICompatibleChatClient>();
        _engine = new OpenAICompatibleChatEngine(dialect, apiBase, modelId, options.ApiKey, httpClient, options.SplitThinkTags, logger);
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        _metadata = new ChatClientMetadata(dialect.ProviderName, _engine.ApiBase, modelId);
        _capabilities = new ModelCapabilitiesProvider(ModelCapabilities.Unknown);
        if (options.Preset == OpenAICompatiblePreset.Vllm)
        {
            _tokenCounter = new ServerInputTokenCounter(_engine, this, new Uri(EndpointUtilities.ServerRoot(_engine.ApiBase), "tokenize"), ServerInputTokenCounter.Form.VllmTokenize);
        }
    }

    internal static OpenAICompatibleDialect CreateDialect(OpenAICompatibleClientOptions options) => OpenAICompatiblePresets.CreateDialect(options);

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
            (typeof(IInputTokenCounter), _tokenCounter));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
