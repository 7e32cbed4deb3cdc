using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>An <see cref="IChatClient"/> for any server that speaks the OpenAI chat-completions protocol: vLLM, SGLang, LM Studio, Ollama's <c>/v1</c>, and others.</summary>
/// <remarks>
/// The endpoint is the base that precedes <c>/chat/completions</c>, e.g. <c>http://localhost:8000/v1</c>.
/// Reasoning is read from <c>reasoning_content</c>, <c>reasoning</c> and an inline <c>&lt;think&gt;</c> block.
/// Instances are thread-safe and hold no per-request state.
/// </remarks>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly OpenAICompatibleChatEngine _engine;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleChatClient"/> class.</summary>
    /// <param name="endpoint">The API base, e.g. <c>http://localhost:8000/v1</c>.</param>
    /// <param name="modelId">The model to use when <see cref="ChatOptions.ModelId"/> is not set.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the client creates and owns one.</param>
    /// <param name="options">Provider settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public OpenAICompatibleChatClient(Uri endpoint, string? modelId = null, HttpClient? httpClient = null, OpenAICompatibleClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new OpenAICompatibleClientOptions();
        var dialect = CreateDialect(options);
        _engine = new OpenAICompatibleChatEngine(dialect, endpoint, modelId, options.ApiKey, httpClient, options.SplitThinkTags);
        _metadata = new ChatClientMetadata(dialect.ProviderName, _engine.ApiBase, modelId);
    }

    internal static OpenAICompatibleDialect CreateDialect(OpenAICompatibleClientOptions options) => new()
    {
        ProviderName = string.IsNullOrWhiteSpace(options.ProviderName) ? ProviderNames.OpenAICompatible : options.ProviderName,
        IncludeUsageInStream = options.IncludeUsageInStream,
        ReasoningSwitch = options.SendEnableThinking ? ReasoningSwitch.ChatTemplateKwargs : ReasoningSwitch.None,
        ReasoningHistoryField = options.ReasoningHistoryField,
    };

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GetResponseAsync(messages, options, this, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _engine.GetStreamingResponseAsync(messages, options, this, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null :
            serviceType == typeof(ChatClientMetadata) ? _metadata :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
