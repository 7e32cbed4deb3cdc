using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>A delegating chat client that never hands on a tool call the output limit cut off in the middle of its arguments.</summary>
/// <remarks>
/// <para>The evidence: the reply ended at the output limit (<see cref="ChatFinishReason.Length"/>) and a <see cref="FunctionCallContent"/>
/// carries an <see cref="FunctionCallContent.Exception"/> (its arguments did not parse). Such a call would otherwise reach function
/// invocation with no arguments. It raises <see cref="TruncatedToolCallException"/> with what arrived or, with
/// <see cref="RetryWithLargerLimit"/>, sends the request once more with <see cref="ChatOptions.MaxOutputTokens"/> multiplied by
/// <see cref="LimitFactor"/>.</para>
/// <para>Streaming passes every update through until one carries an unparsed call; from there it holds the rest until the end decides
/// them, so a cut-off call is never seen by the caller. Text streamed before the cut stays with the caller when a retry follows.
/// The caller's options are never changed. Instances are thread-safe.</para>
/// </remarks>
public sealed class TruncatedToolCallChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private readonly string _provider;
    private double _limitFactor = 2;

    /// <summary>Initializes a new instance of the <see cref="TruncatedToolCallChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose replies are checked.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public TruncatedToolCallChatClient(IChatClient innerClient, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        _logger = GuardLog.For<TruncatedToolCallChatClient>(loggerFactory);
        _provider = GuardMetrics.ProviderOf(innerClient);
    }

    /// <summary>Gets or sets a value indicating whether a cut-off call is asked once more with a larger output limit instead of raising <see cref="TruncatedToolCallException"/>.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RetryWithLargerLimit { get; set; }

    /// <summary>Gets or sets what the output limit is multiplied by for the retry.</summary>
    /// <value>The default is 2. Must be greater than 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not greater than 1.</exception>
    public double LimitFactor
    {
        get => _limitFactor;
        set => _limitFactor = value > 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The limit factor must be greater than 1, e.g. 2.");
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var cut = response.FinishReason == ChatFinishReason.Length ? response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().FirstOrDefault(IsUnparsed) : null;
        if (cut is null)
        {
            return response;
        }

        var larger = Decide(cut, options, allowRetry: true, response.ResponseId, response);
        var second = await base.GetResponseAsync(messages, larger, cancellationToken).ConfigureAwait(false);
        if (second.Usage is not null && response.Usage is not null)
        {
            second.Usage.Add(response.Usage);
        }

        return second;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, allowRetry: true, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool allowRetry, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ChatResponseUpdate>? held = null;
        FunctionCallContent? cut = null;
        ChatFinishReason? finish = null;
        string? responseId = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            finish = update.FinishReason ?? finish;
            responseId ??= update.ResponseId;
            var contents = update.Contents;
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionCallContent call && IsUnparsed(call))
                {
                    cut ??= call;
                }
            }

            if (cut is null)
            {
                yield return update;
            }
            else
            {
                (held ??= []).Add(update);
            }
        }

        if (cut is null || finish != ChatFinishReason.Length)
        {
            foreach (var update in held ?? [])
            {
                yield return update;
            }

            yield break;
        }

        var larger = Decide(cut, options, allowRetry, responseId, response: null);
        await foreach (var update in StreamAsync(messages, larger, allowRetry: false, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>Throws, or returns the options for the one retry with a larger limit.</summary>
    private ChatOptions Decide(FunctionCallContent cut, ChatOptions? options, bool allowRetry, string? responseId, ChatResponse? response)
    {
        bool retry = allowRetry && RetryWithLargerLimit && options?.MaxOutputTokens is > 0;
        GuardLog.ToolCallTruncated(_logger, _provider, options?.MaxOutputTokens, cut.Name, retry ? "asking once more with a larger limit" : "raised as an error");
        GuardMetrics.Record(GuardMetrics.TruncatedToolCall, retry ? "retried" : "rejected", _provider);
        if (!retry)
        {
            throw new TruncatedToolCallException(_provider, cut.Name, cut.RawRepresentation as string, options?.MaxOutputTokens, responseId) { Response = response };
        }

        var copy = options!.Clone();
        copy.MaxOutputTokens = (int)Math.Min(int.MaxValue, Math.Ceiling(options.MaxOutputTokens!.Value * _limitFactor));
        return copy;
    }

    private static bool IsUnparsed(FunctionCallContent call) => call.Exception is not null;
}
