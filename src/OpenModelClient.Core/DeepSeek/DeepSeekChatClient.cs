using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>An <see cref="IChatClient"/> for DeepSeek's hosted API (<c>https://api.deepseek.com</c>), V4 models.</summary>
/// <remarks>
/// <para><c>ChatOptions.Reasoning.Effort</c> becomes <c>thinking: {"type": …}</c> and <c>reasoning_effort</c>: <c>None</c> → disabled;
/// <c>Low</c> → <c>low</c>; <c>Medium</c> and <c>High</c> → <c>high</c>; <c>ExtraHigh</c> → <c>max</c>. Unset sends nothing, and V4 models then
/// think (their default). <c>Reasoning.Output = None</c> hides the reasoning from the caller without changing the request.</para>
/// <para>History: V4 requires <c>reasoning_content</c> on every assistant message that made tool calls, in every later request. This client
/// sends it automatically — the reasoning it returned earlier, or <c>""</c> when there is none (hidden, produced by another provider, or
/// never streamed) — unless thinking is switched off for the request. Reasoning on other assistant messages is not sent; DeepSeek ignores it.
/// The retired <c>deepseek-reasoner</c> rejected <c>reasoning_content</c> in input, so it gets none.</para>
/// <para>JSON: DeepSeek accepts <c>json_object</c> only. A JSON-schema request (<c>ChatResponseFormat.ForJsonSchema</c>) is sent as
/// <c>json_object</c> with the schema appended to the system instructions, and a warning is logged; when JSON mode is requested and no
/// message mentions "json" (DeepSeek then answers 400), a one-line instruction asking for a JSON object is added.</para>
/// <para>Usage maps <c>prompt_cache_hit_tokens</c> to cached input tokens and <c>prompt_cache_miss_tokens</c> to
/// <c>AdditionalCounts[</c><see cref="UsageCountKeys.CacheMissInputTokens"/><c>]</c>. The finish reason <c>insufficient_system_resource</c>
/// means the server ran out of resources and cut the generation short: it is a failure, never a finished answer. A non-streamed call
/// throws <see cref="ServerOverloadedException"/> (code <c>insufficient_system_resource</c>, transient: send it again); a stream yields
/// the partial output that arrived, without that finish reason, then throws the same. Errors: 503 "server busy"
/// and <c>insufficient_system_resource</c> throw <see cref="ServerOverloadedException"/>, 429 <see cref="RateLimitedException"/>, 402
/// <see cref="OpenModelException"/> with <see cref="OpenModelErrorKind.InsufficientBalance"/>; the request id comes from <c>x-ds-trace-id</c>.
/// <c>: keep-alive</c> comments while queued and blank lines before a non-streamed body are skipped.</para>
/// <para><c>ChatOptions.TopK</c> and <c>Seed</c> are not DeepSeek parameters: they are dropped with a warning. DeepSeek fields such as
/// <c>user_id</c> pass through from <see cref="ChatOptions.AdditionalProperties"/>; a <c>JsonObject</c> from
/// <see cref="ChatOptions.RawRepresentationFactory"/> overrides body keys. DeepSeek has no embeddings API.</para>
/// <para>Instances are thread-safe and hold no per-request state.</para>
/// </remarks>
public sealed class DeepSeekChatClient : IChatClient
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly ChatClientMetadata _metadata;
    private readonly ModelCapabilitiesProvider _capabilities;

    /// <summary>Initializes a new instance of the <see cref="DeepSeekChatClient"/> class for <see cref="DefaultEndpoint"/>.</summary>
    /// <param name="modelId">The model to use when <see cref="ChatOptions.ModelId"/> is not set, e.g. <see cref="DeepSeekModels.Flash"/>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">DeepSeek settings, including the API key; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is <see langword="null"/>, empty or white space.</exception>
    public DeepSeekChatClient(string modelId, HttpClient? httpClient = null, DeepSeekChatClientOptions? options = null)
        : this(DefaultEndpoint, modelId, httpClient, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DeepSeekChatClient"/> class for another address (a proxy, a test server).</summary>
    /// <param name="endpoint">The API base, e.g. <c>https://api.deepseek.com</c> (a trailing <c>/v1</c> also works).</param>
    /// <param name="modelId">The model to use when <see cref="ChatOptions.ModelId"/> is not set, e.g. <see cref="DeepSeekModels.Flash"/>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">DeepSeek settings, including the API key; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL, or <paramref name="modelId"/> is empty.</exception>
    public DeepSeekChatClient(Uri endpoint, string modelId, HttpClient? httpClient = null, DeepSeekChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        options ??= new DeepSeekChatClientOptions();
        var logger = options.LoggerFactory?.CreateLogger<DeepSeekChatClient>();
        _engine = new OpenAICompatibleChatEngine(DeepSeekDialect.Instance, endpoint, modelId, options.ApiKey, httpClient, options.SplitThinkTags, logger);
        _engine.Transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        _metadata = new ChatClientMetadata(ProviderNames.DeepSeek, _engine.ApiBase, modelId);
        _capabilities = new ModelCapabilitiesProvider(DeepSeekCapabilities.For(modelId));
    }

    /// <summary>Gets DeepSeek's API base, <c>https://api.deepseek.com/</c>.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://api.deepseek.com/");

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await _engine.GetResponseAsync(messages, options, this, cancellationToken).ConfigureAwait(false);
        return response.FinishReason == InsufficientSystemResource ? throw CutShort(response.ResponseId) : response;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ThrowIfCutShortAsync(_engine.GetStreamingResponseAsync(messages, options, this, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Get(serviceType, serviceKey, this, (typeof(ChatClientMetadata), _metadata), (typeof(ModelCapabilitiesProvider), _capabilities));

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();

    private static readonly ChatFinishReason InsufficientSystemResource = new("insufficient_system_resource");

    // The output so far is passed on (without the finish reason that would make it look finished), the stream is read to its end
    // so the usage and the connection are not lost, then the cut is reported: a truncated answer never looks like a complete one.
    private static async IAsyncEnumerable<ChatResponseUpdate> ThrowIfCutShortAsync(IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool cutShort = false;
        string? responseId = null;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (update.FinishReason == InsufficientSystemResource)
            {
                (cutShort, responseId, update.FinishReason) = (true, update.ResponseId, null);
            }

            yield return update;
        }

        if (cutShort)
        {
            throw CutShort(responseId);
        }
    }

    private static ServerOverloadedException CutShort(string? responseId) => new(
        ProviderNames.DeepSeek,
        statusCode: null,
        "the server ran out of resources and cut the generation short (finish_reason insufficient_system_resource); the output is incomplete",
        "insufficient_system_resource",
        responseId);
}
