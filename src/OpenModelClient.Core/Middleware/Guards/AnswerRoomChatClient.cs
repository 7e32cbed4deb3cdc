using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>A delegating chat client that keeps room for the answer in the output budget and never returns a reasoning-only reply as a success.</summary>
/// <remarks>
/// <para>Before the request: when both <see cref="ChatOptions.MaxOutputTokens"/> and a reasoning effort other than
/// <see cref="ReasoningEffort.None"/> are set, the thinking budget is clamped so that <see cref="AnswerShare"/> of the output budget stays
/// for the answer. Only providers that take a budget apply it (llama.cpp, Qwen, an OpenAI-compatible server configured with a budget
/// field); for the others the request is unchanged.</para>
/// <para>After the reply: a reply that ended at the output limit (<see cref="ChatFinishReason.Length"/>) with reasoning and no answer
/// (no text, no tool call) raises <see cref="ReasoningExhaustedException"/>, which carries the reasoning; or, with
/// <see cref="RetryWithoutThinking"/>, the request is sent once more with thinking off. Streamed, the caller then sees the first
/// attempt's reasoning, then the second attempt's answer; the first attempt's finish reason is dropped, its usage is kept (so the
/// totals cover both) and a usage count <see cref="RetriesUsageKey"/> of 1 says that a retry happened.</para>
/// <para>Streaming holds back only the updates that follow the finish reason or usage of a reply with no answer yet, until the end
/// decides them. The caller's options are never changed. Instances are thread-safe.</para>
/// </remarks>
public sealed class AnswerRoomChatClient : DelegatingChatClient
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key counting requests sent again with thinking off.</summary>
    public const string RetriesUsageKey = "openmodel.answer_room.retries";

    private readonly ILogger _logger;
    private readonly string _provider;
    private double _answerShare = 0.25;

    /// <summary>Initializes a new instance of the <see cref="AnswerRoomChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose requests and replies are guarded.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public AnswerRoomChatClient(IChatClient innerClient, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        _logger = GuardLog.For<AnswerRoomChatClient>(loggerFactory);
        _provider = GuardMetrics.ProviderOf(innerClient);
    }

    /// <summary>Gets or sets the share of <see cref="ChatOptions.MaxOutputTokens"/> kept for the answer when the thinking budget is clamped.</summary>
    /// <value>The default is 0.25. Must be greater than 0 and less than 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1 (exclusive).</exception>
    public double AnswerShare
    {
        get => _answerShare;
        set => _answerShare = value is > 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The answer's share of the output budget must be greater than 0 and less than 1, e.g. 0.25.");
    }

    /// <summary>Gets or sets a value indicating whether a reasoning-only reply cut at the limit is asked once more with thinking off, instead of raising <see cref="ReasoningExhaustedException"/>.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RetryWithoutThinking { get; set; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (sent, budget) = Clamp(options);
        var response = await base.GetResponseAsync(messages, sent, cancellationToken).ConfigureAwait(false);
        ReportClamp(budget, options);
        if (!IsExhausted(response.FinishReason, response.Messages.SelectMany(m => m.Contents), out string reasoning))
        {
            return response;
        }

        if (!CanRetry(options))
        {
            GuardLog.ReasoningExhausted(_logger, _provider, options?.MaxOutputTokens, "raised as an error");
            GuardMetrics.Record(GuardMetrics.AnswerRoom, "rejected", _provider);
            throw new ReasoningExhaustedException(_provider, reasoning, options?.MaxOutputTokens, response.Usage?.OutputTokenCount, response.ResponseId);
        }

        GuardLog.ReasoningExhausted(_logger, _provider, options?.MaxOutputTokens, "asking once more with thinking off");
        GuardMetrics.Record(GuardMetrics.AnswerRoom, "retried", _provider);
        var second = await base.GetResponseAsync(messages, WithoutThinking(options), cancellationToken).ConfigureAwait(false);
        if (IsExhausted(second.FinishReason, second.Messages.SelectMany(m => m.Contents), out string again))
        {
            GuardMetrics.Record(GuardMetrics.AnswerRoom, "rejected", _provider);
            throw new ReasoningExhaustedException(_provider, reasoning + again, options?.MaxOutputTokens, second.Usage?.OutputTokenCount, second.ResponseId);
        }

        // The first attempt's reasoning, then the second attempt's answer, in one assistant message.
        var firstReasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList<AIContent>();
        var answer = second.Messages.FirstOrDefault(m => m.Role == ChatRole.Assistant);
        if (answer is null)
        {
            second.Messages.Insert(0, new ChatMessage(ChatRole.Assistant, firstReasoning));
        }
        else
        {
            answer.Contents = [.. firstReasoning, .. answer.Contents];
        }

        second.Usage = Sum(response.Usage, second.Usage);
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
        var (sent, budget) = Clamp(options);
        var held = new List<ChatResponseUpdate>();
        var reasoning = new StringBuilder();
        bool answered = false;
        bool reported = false;
        ChatFinishReason? finish = null;
        string? responseId = null;
        long? outputTokens = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, sent, cancellationToken).ConfigureAwait(false))
        {
            if (!reported)
            {
                ReportClamp(budget, options);
                reported = true;
            }

            finish = update.FinishReason ?? finish;
            responseId ??= update.ResponseId;
            var contents = update.Contents;
            for (int i = 0; i < contents.Count; i++)
            {
                switch (contents[i])
                {
                    case TextReasoningContent r:
                        reasoning.Append(r.Text);
                        break;
                    case TextContent t when !string.IsNullOrWhiteSpace(t.Text):
                    case FunctionCallContent:
                        answered = true;
                        break;
                    case UsageContent u:
                        outputTokens = u.Details.OutputTokenCount ?? outputTokens;
                        break;
                }
            }

            if (answered)
            {
                foreach (var h in held)
                {
                    yield return h;
                }

                held.Clear();
                yield return update;
            }
            else if (held.Count > 0 || update.FinishReason is not null || contents.Any(c => c is UsageContent))
            {
                held.Add(update); // the end of a reply with no answer yet: the stream's end decides it
            }
            else
            {
                yield return update;
            }
        }

        if (answered || finish != ChatFinishReason.Length || reasoning.Length == 0)
        {
            foreach (var h in held)
            {
                yield return h;
            }

            yield break;
        }

        if (!allowRetry || !CanRetry(options))
        {
            GuardLog.ReasoningExhausted(_logger, _provider, options?.MaxOutputTokens, "raised as an error");
            GuardMetrics.Record(GuardMetrics.AnswerRoom, "rejected", _provider);
            throw new ReasoningExhaustedException(_provider, reasoning.ToString(), options?.MaxOutputTokens, outputTokens, responseId);
        }

        GuardLog.ReasoningExhausted(_logger, _provider, options?.MaxOutputTokens, "asking once more with thinking off");
        GuardMetrics.Record(GuardMetrics.AnswerRoom, "retried", _provider);
        foreach (var h in held)
        {
            h.FinishReason = null; // the first attempt did not end the reply
            yield return h;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { AdditionalCounts = new() { [RetriesUsageKey] = 1 } })])
        {
            ResponseId = responseId,
        };

        await foreach (var update in StreamAsync(messages, WithoutThinking(options), allowRetry: false, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private (ChatOptions? Sent, ThinkingBudgetRequest? Budget) Clamp(ChatOptions? options)
    {
        if (options is not { MaxOutputTokens: { } max and > 1, Reasoning.Effort: { } effort } || effort == ReasoningEffort.None)
        {
            return (options, null);
        }

        int answerTokens = Math.Max(1, (int)Math.Ceiling(max * _answerShare));
        int allowed = Math.Max(1, max - answerTokens);
        int? effortBudget = ThinkingBudgetRequest.ForEffort(effort);
        if (effortBudget <= allowed || ThinkingBudgetRequest.From(options) is not null)
        {
            return (options, null);
        }

        var budget = new ThinkingBudgetRequest(allowed);
        var copy = options.Clone();
        copy.AdditionalProperties = new(copy.AdditionalProperties ?? []) { [ThinkingBudgetRequest.Key] = budget };
        return (copy, budget);
    }

    private void ReportClamp(ThinkingBudgetRequest? budget, ChatOptions? options)
    {
        if (budget is { IsApplied: true } && options?.MaxOutputTokens is { } max)
        {
            GuardLog.BudgetClamped(_logger, _provider, budget.Tokens, max - budget.Tokens, max);
            GuardMetrics.Record(GuardMetrics.AnswerRoom, "clamped", _provider);
        }
    }

    private bool CanRetry(ChatOptions? options) => RetryWithoutThinking && options?.Reasoning?.Effort != ReasoningEffort.None;

    private static ChatOptions WithoutThinking(ChatOptions? options)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None };
        if (copy.AdditionalProperties?.ContainsKey(ThinkingBudgetRequest.Key) is true)
        {
            copy.AdditionalProperties = new(copy.AdditionalProperties);
            copy.AdditionalProperties.Remove(ThinkingBudgetRequest.Key);
        }

        return copy;
    }

    private static bool IsExhausted(ChatFinishReason? finish, IEnumerable<AIContent> contents, out string reasoning)
    {
        reasoning = string.Empty;
        if (finish != ChatFinishReason.Length)
        {
            return false;
        }

        var text = new StringBuilder();
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextReasoningContent r:
                    text.Append(r.Text);
                    break;
                case TextContent t when !string.IsNullOrWhiteSpace(t.Text):
                case FunctionCallContent:
                    return false;
            }
        }

        reasoning = text.ToString();
        return reasoning.Length > 0;
    }

    private static UsageDetails? Sum(UsageDetails? first, UsageDetails? second)
    {
        var total = new UsageDetails();
        if (first is not null)
        {
            total.Add(first);
        }

        if (second is not null)
        {
            total.Add(second);
        }

        (total.AdditionalCounts ??= [])[RetriesUsageKey] = 1;
        return total;
    }
}
