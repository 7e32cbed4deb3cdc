using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Maps chat-completions wire objects to Microsoft.Extensions.AI objects. Pure functions, no I/O.</summary>
internal static class OpenAICompatibleResponseMapper
{
    public static ChatResponse ToChatResponse(ChatCompletionResponse response, bool splitThinkTags, string provider, bool thinkBlockInPrompt = false)
    {
        var messages = new List<ChatMessage>();
        ChatFinishReason? finishReason = null;
        if (response.Choices is { } choices)
        {
            foreach (var choice in choices.OrderBy(c => c.Index))
            {
                var message = choice.Message ?? choice.Delta;
                var contents = new List<AIContent>();
                if (message is not null)
                {
                    bool separated = AddReasoning(message, contents);
                    if (!string.IsNullOrEmpty(message.Content))
                    {
                        if (splitThinkTags)
                        {
                            ThinkTagSplitter.SplitComplete(message.Content, contents, thinkBlockInPrompt && !separated);
                        }
                        else
                        {
                            contents.Add(new TextContent(message.Content));
                        }
                    }

                    if (!string.IsNullOrEmpty(message.Refusal))
                    {
                        contents.Add(new ErrorContent(message.Refusal) { ErrorCode = "refusal" });
                    }

                    if (message.ToolCalls is { } calls)
                    {
                        for (int i = 0; i < calls.Count; i++)
                        {
                            var call = calls[i];
                            contents.Add(ChatContentMapping.CreateFunctionCall(provider, call.Id, call.Function?.Name, call.Function?.Arguments, i));
                        }
                    }
                }

                var chatMessage = new ChatMessage(ChatRole.Assistant, contents)
                {
                    MessageId = choice.Index == 0 ? response.Id : $"{response.Id}:{choice.Index}",
                    RawRepresentation = choice,
                };
                if (choice.Logprobs is { ValueKind: JsonValueKind.Object } logprobs)
                {
                    chatMessage.AdditionalProperties = new() { [LogprobsExtensions.RawKey] = logprobs };
                }

                messages.Add(chatMessage);
                finishReason ??= ChatContentMapping.ToFinishReason(choice.FinishReason);
            }
        }

        return new ChatResponse(messages)
        {
            ResponseId = response.Id,
            ModelId = response.Model,
            CreatedAt = ToCreatedAt(response.Created),
            FinishReason = finishReason,
            Usage = ToUsage(response.Usage, response.Timings),
            RawRepresentation = response,
        };
    }

    /// <summary>Adds the reasoning the server put in a field of its own, if any.</summary>
    /// <returns><see langword="true"/> when there was some.</returns>
    public static bool AddReasoning(ChatCompletionMessage message, IList<AIContent> contents)
    {
        var reasoning = string.IsNullOrEmpty(message.ReasoningContent) ? message.Reasoning : message.ReasoningContent;
        if (string.IsNullOrEmpty(reasoning))
        {
            return false;
        }

        contents.Add(new TextReasoningContent(reasoning));
        return true;
    }

    public static DateTimeOffset? ToCreatedAt(long? unixSeconds) => WireNumbers.UnixSeconds(unixSeconds);

    public static UsageDetails? ToUsage(ChatCompletionUsage? usage, ServerTimings? timings)
    {
        if (usage is null && timings is null)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = WireNumbers.Count(usage?.PromptTokens) ?? (timings is { PromptN: { } p } ? WireNumbers.Sum(WireNumbers.Count(p), WireNumbers.Count(timings.CacheN ?? 0)) : null),
            OutputTokenCount = WireNumbers.Count(usage?.CompletionTokens) ?? WireNumbers.Count(timings?.PredictedN),
            CachedInputTokenCount = WireNumbers.Count(usage?.PromptTokensDetails?.CachedTokens ?? usage?.PromptCacheHitTokens ?? timings?.CacheN),
            ReasoningTokenCount = WireNumbers.Count(usage?.CompletionTokensDetails?.ReasoningTokens),
        };

        // Counts are the server's; a total that would not fit a long is left unset rather than wrapped to a negative number.
        details.TotalTokenCount = WireNumbers.Count(usage?.TotalTokens) ?? WireNumbers.Sum(details.InputTokenCount, details.OutputTokenCount);

        AdditionalPropertiesDictionary<long>? counts = null;
        void Add(string key, long? value)
        {
            if (value is { } v)
            {
                (counts ??= [])[key] = v;
            }
        }

        Add(UsageCountKeys.CacheMissInputTokens, usage?.PromptCacheMissTokens);
        Add(UsageCountKeys.CacheCreationInputTokens, usage?.PromptTokensDetails?.CacheCreationInputTokens);
        if (timings is not null)
        {
            Add(UsageCountKeys.PromptEvalTokens, timings.PromptN);
            Add(UsageCountKeys.PromptEvalDurationNs, MillisecondsToNanoseconds(timings.PromptMs));
            Add(UsageCountKeys.EvalDurationNs, MillisecondsToNanoseconds(timings.PredictedMs));
            Add(UsageCountKeys.PromptTokensPerSecond, Round(timings.PromptPerSecond));
            Add(UsageCountKeys.OutputTokensPerSecond, Round(timings.PredictedPerSecond));
            Add(UsageCountKeys.DraftTokens, timings.DraftN);
            Add(UsageCountKeys.DraftAcceptedTokens, timings.DraftNAccepted);
        }

        details.AdditionalCounts = counts;
        return details;
    }

    private static long? MillisecondsToNanoseconds(double? ms) => WireNumbers.Round(ms * 1_000_000);

    private static long? Round(double? value) => WireNumbers.Round(value);
}
