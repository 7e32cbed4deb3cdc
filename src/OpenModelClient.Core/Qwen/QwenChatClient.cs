using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>An <see cref="IChatClient"/> for Qwen on Alibaba Cloud Model Studio (DashScope), OpenAI-compatible mode.</summary>
/// <remarks>
/// <para>Choose a <see cref="QwenRegion"/>, or pass an endpoint: a workspace-dedicated domain (<see cref="QwenEndpoints.ForWorkspace(string, string)"/>),
/// another plan's host, or a proxy. A bare host gets <c>/compatible-mode/v1</c> added. Keys work only in their own region: a 401 says which
/// URL was called.</para>
/// <para><c>ChatOptions.Reasoning.Effort</c> becomes <c>enable_thinking</c> and <c>thinking_budget</c>: <c>None</c> → <c>false</c>;
/// <c>Low</c>/<c>Medium</c>/<c>High</c> → <c>true</c> with a budget of 1024/4096/16384 tokens; <c>ExtraHigh</c> → <c>true</c> without a budget.
/// Unset sends nothing (the model's default: off for commercial models, on for open-source Qwen3). Models that think only on streamed
/// requests (<see cref="QwenChatClientOptions.StreamOnlyThinkingModels"/>) are streamed and aggregated by <see cref="GetResponseAsync"/>,
/// unless thinking is switched off. <c>Reasoning.Output = None</c> hides reasoning from the caller.</para>
/// <para>History: reasoning goes back (<c>reasoning_content</c>) on the assistant messages of the tool-call turn in progress — those after the
/// last user message — which is what Qwen3 templates keep; with <see cref="QwenChatClientOptions.PreserveThinking"/> on a supporting model,
/// on every assistant message. Reasoning another provider produced is never sent.</para>
/// <para>Streams ask for usage (<c>stream_options.include_usage</c>); streamed tool-call fragments are keyed by index, so the repeated
/// <c>"id":""</c> of later fragments is ignored. A JSON schema is sent natively to <see cref="QwenChatClientOptions.JsonSchemaModels"/> and as
/// instructions with <c>json_object</c> (and a logged warning) to others. <c>ChatOptions.FrequencyPenalty</c> is dropped with a warning.
/// <c>enable_search</c> and <c>vl_high_resolution_images</c> are typed in <see cref="QwenChatClientOptions"/>; any Model Studio field
/// (<c>enable_search</c>, <c>search_options</c>, <c>enable_code_interpreter</c>, <c>repetition_penalty</c>, …) passes through from
/// <see cref="ChatOptions.AdditionalProperties"/>, and a <c>JsonObject</c> from <see cref="ChatOptions.RawRepresentationFactory"/> overrides body keys.</para>
/// <para>Errors: <c>data_inspection_failed</c> throws <see cref="ContentFilteredException"/>; 429 <c>insufficient_quota</c> (a per-minute
/// throttle, despite its billing wording) throws a transient <see cref="RateLimitedException"/>; the request id comes from the
/// <c>x-request-id</c>/<c>x-dashscope-request-id</c> header or the body's <c>request_id</c>.</para>
/// <para>Instances are thread-safe and hold no per-request state.</para>
/// </remarks>
public sealed class QwenChatClient : IChatClient
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly ChatClientMetadata _metadata;
    private readonly ModelCapabilitiesProvider _capabilities;

    /// <summary>Initializes a new instance of the <see cref="QwenChatClient"/> class for a region's shared endpoint.</summary>
    /// <param name="region">The region the API key belongs to.</param>
    /// <param name="modelId">The model to use when <see cref="ChatOptions.ModelId"/> is not set, e.g. <c>qwen-plus</c>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">Model Studio settings, including the API key; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="region"/> is not defined (the message lists the valid ones), or <paramref name="modelId"/> is empty.</exception>
    public QwenChatClient(QwenRegion region, string modelId, HttpClient? httpClient = null, QwenChatClientOptions? options = null)
        : this(QwenEndpoints.ForRegion(region), modelId, httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QwenChatClient"/> class for an explicit endpoint.</summary>
    /// <param name="endpoint">The OpenAI-compatible base, e.g. <c>https://{WorkspaceId}.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1</c>.</param>
    /// <param name="modelId">The model to use when <see cref="ChatOptions.ModelId"/> is not set, e.g. <c>qwen-plus</c>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">Model Studio settings, including the API key; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL, or <paramref name="modelId"/> is empty.</exception>
    public QwenChatClient(Uri endpoint, string modelId, HttpClient? httpClient = null, QwenChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        options ??= new QwenChatClientOptions();
        var apiBase = QwenEndpoints.NormalizeEndpoint(endpoint);
        var logger = options.LoggerFactory?.CreateLogger<QwenChatClient>();
        var dialect = QwenDialect.Create(options, apiBase);
        _engine = new OpenAICompatibleChatEngine(dialect, apiBase, modelId, options.ApiKey, httpClient, options.SplitThinkTags, logger);
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        _metadata = new ChatClientMetadata(ProviderNames.Qwen, _engine.ApiBase, modelId);
        _capabilities = new ModelCapabilitiesProvider(QwenCapabilities.For(dialect.ResolveFamily(modelId)));
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GetResponseAsync(messages, options, this, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GetStreamingResponseAsync(messages, options, this, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this, (typeof(ChatClientMetadata), _metadata), (typeof(ModelCapabilitiesProvider), _capabilities));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
