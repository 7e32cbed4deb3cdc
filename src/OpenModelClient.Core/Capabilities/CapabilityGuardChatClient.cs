using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>A delegating chat client that drops settings the endpoint is known not to support, with a logged warning, instead of sending them into a 400.</summary>
/// <remarks>
/// <para>The capabilities come from the inner client's <see cref="ModelCapabilitiesProvider"/> (<c>GetService</c>), fetched once and cached. Only a
/// capability known to be absent (<see langword="false"/>) changes a request; an unknown one, a failed fetch, or an inner client without a provider
/// leaves the request as it is. The profile is fetched only when a request carries something it could veto, so plain chat never waits for it.
/// The guard applies only to requests for the client's configured model: a request whose
/// <see cref="ChatOptions.ModelId"/> names another model passes unchanged.</para>
/// <para>What is dropped: tools (<see cref="ChatOptions.Tools"/> and <see cref="ChatOptions.ToolMode"/>) when tools are unsupported; image
/// <see cref="DataContent"/> and <see cref="UriContent"/> when vision is unsupported; <see cref="ChatOptions.Reasoning"/> when the model does not
/// think (warned only when an effort other than <see cref="ReasoningEffort.None"/> was asked for). A JSON schema is left alone: where
/// <see cref="ModelCapabilities.SupportsJsonSchema"/> is <see langword="false"/> (DeepSeek, most Qwen models) this library's clients already send
/// JSON mode with the schema in the instructions, which keeps more than dropping it would. The caller's options and messages are never
/// changed: altered ones are copies. Instances are thread-safe.</para>
/// </remarks>
public sealed class CapabilityGuardChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private readonly ModelCapabilitiesProvider? _provider;
    private readonly string? _defaultModel;
    private readonly IInputTokenCounter? _counter;
    private readonly string _providerName;

    /// <summary>Initializes a new instance of the <see cref="CapabilityGuardChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose requests are checked.</param>
    /// <param name="loggerFactory">Where the warnings go; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public CapabilityGuardChatClient(IChatClient innerClient, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        _logger = (ILogger?)loggerFactory?.CreateLogger<CapabilityGuardChatClient>() ?? NullLogger.Instance;
        _provider = innerClient.GetService<ModelCapabilitiesProvider>();
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _defaultModel = metadata?.DefaultModelId;
        _providerName = metadata?.ProviderName ?? "unknown";
        _counter = innerClient.GetService<IInputTokenCounter>();
    }

    /// <summary>Gets or sets a value indicating whether every request is first counted with the server's <see cref="IInputTokenCounter"/>,
    /// and one that cannot fit the context (its input tokens reach the context length) fails before it is sent.</summary>
    /// <value>The default is <see langword="false"/>: the check costs one short request to the server per call. It applies only where the
    /// inner client has a counter and the context length is known (from the profile, or reported with the count); an unavailable count
    /// lets the request through unchecked.</value>
    /// <remarks>The failure is a <see cref="ContextLengthExceededException"/> carrying both numbers, with the error code <c>context_length_exceeded</c>.</remarks>
    public bool CheckContextLength { get; set; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        (messages, options) = await GuardAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Nothing a capability could veto (the everyday plain chat): the inner stream as it is, without another iterator per update.
        return NeedsProfile(ref messages, options, out _)
            ? GuardedStreamAsync(messages, options, cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> GuardedStreamAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (messages, options) = await GuardAsync(messages, options, cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>Whether the request asks for something a capability could veto; <paramref name="messages"/> becomes a list when it is looked at.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(_provider))]
    private bool NeedsProfile(ref IEnumerable<ChatMessage> messages, ChatOptions? options, out bool hasImages)
    {
        hasImages = false;
        if (_provider is null || (options?.ModelId is { } requested && !string.Equals(requested, _defaultModel, StringComparison.Ordinal)))
        {
            return false;
        }

        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        messages = list;
        hasImages = list.Any(m => m.Contents.Any(IsImage));
        return hasImages || options?.Tools is { Count: > 0 } || options?.Reasoning is not null || (CheckContextLength && _counter is not null);
    }

    private async Task<(IEnumerable<ChatMessage> Messages, ChatOptions? Options)> GuardAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!NeedsProfile(ref messages, options, out bool hasImages))
        {
            return (messages, options); // nothing a capability could veto: no need to know the profile
        }

        var list = (IReadOnlyList<ChatMessage>)messages;
        var caps = await _provider.GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        string model = options?.ModelId ?? _defaultModel ?? "(server default)";
        ChatOptions? copy = null;
        ChatOptions Copy() => copy ??= options!.Clone();

        if (caps.SupportsTools == false && options?.Tools is { Count: > 0 } tools)
        {
            CapabilityGuardLog.ToolsDropped(_logger, model, caps.Source, tools.Count);
            Copy().Tools = null;
            copy!.ToolMode = null;
        }

        if (caps.SupportsThinking == false && options?.Reasoning is { } reasoning)
        {
            if (reasoning.Effort is not null and not ReasoningEffort.None)
            {
                CapabilityGuardLog.ReasoningDropped(_logger, model, caps.Source);
            }

            Copy().Reasoning = null;
        }

        IEnumerable<ChatMessage> sent = caps.SupportsVision == false && hasImages ? DropImages(list, model, caps.Source) : list;
        if (CheckContextLength && _counter is not null)
        {
            await ThrowIfTooLongAsync(sent, copy ?? options, caps, cancellationToken).ConfigureAwait(false);
        }

        return (sent, copy ?? options);
    }

    private async Task ThrowIfTooLongAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, ModelCapabilities caps, CancellationToken cancellationToken)
    {
        var count = await _counter!.CountInputTokensAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (count.InputTokens is { } tokens && (count.ContextLength ?? caps.ContextLength) is { } context && tokens >= context)
        {
            // The server needs room for at least one generated token: a prompt that fills the context is refused too.
            string contextSource = count.ContextLength is null ? caps.Source : count.Source;
            throw new ContextLengthExceededException(
                _providerName,
                null,
                $"the request has {tokens} input tokens ({count.Source}) and the context holds {context} ({contextSource}): it cannot fit, so it was not sent",
                "context_length_exceeded",
                promptTokenCount: tokens,
                contextLength: context);
        }
    }

    private List<ChatMessage> DropImages(IReadOnlyList<ChatMessage> list, string model, string source)
    {
        int dropped = 0;
        var result = new List<ChatMessage>(list.Count);
        foreach (var message in list)
        {
            int images = message.Contents.Count(IsImage);
            if (images == 0)
            {
                result.Add(message);
                continue;
            }

            dropped += images;
            var clone = message.Clone();
            clone.Contents = [.. message.Contents.Where(c => !IsImage(c))];
            result.Add(clone);
        }

        CapabilityGuardLog.ImagesDropped(_logger, model, source, dropped);
        return result;
    }

    private static bool IsImage(AIContent content) => content switch
    {
        DataContent data => data.HasTopLevelMediaType("image"),
        UriContent uri => uri.HasTopLevelMediaType("image"),
        _ => false,
    };
}
