using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Maps chat-completions wire objects to Microsoft.Extensions.AI objects. Pure functions, no I/O.</summary>
internal static class OpenAICompatibleResponseMapper
{
    /// <summary>The key under which a choice's <c>logprobs</c> object (a <see cref="JsonElement"/>) appears in <c>AdditionalProperties</c>.</summary>
    public const string LogprobsKey = "logprobs";

    public static ChatResponse ToChatResponse(ChatCompletionResponse response, bool splitThinkTags)
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
                    AddReasoning(message, contents);
                    if (!string.IsNullOrEmpty(message.Content))
                    {
                        if (splitThinkTags)
                        {
                            ThinkTagSplitter.SplitComplete(message.Content, contents);
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
                            contents.Add(CreateFunctionCall(call.Id, call.Function?.Name, call.Function?.Arguments, i));
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
                    chatMessage.AdditionalProperties = new() { [LogprobsKey] = logprobs };
                }

                messages.Add(chatMessage);
                finishReason ??= ToFinishReason(choice.FinishReason);
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

    public static void AddReasoning(ChatCompletionMessage message, IList<AIContent> contents)
    {
        var reasoning = string.IsNullOrEmpty(message.ReasoningContent) ? message.Reasoning : message.ReasoningContent;
        if (!string.IsNullOrEmpty(reasoning))
        {
            contents.Add(new TextReasoningContent(reasoning));
        }
    }

    public static FunctionCallContent CreateFunctionCall(string? id, string? name, string? arguments, int ordinal)
    {
        string callId = string.IsNullOrEmpty(id) ? SynthesizeCallId(ordinal) : id;
        string functionName = name ?? string.Empty;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return new FunctionCallContent(callId, functionName, new Dictionary<string, object?>());
        }

        var call = FunctionCallContent.CreateFromParsedArguments(arguments, callId, functionName, ParseArguments);
        if (call.Exception is not null)
        {
            call.RawRepresentation = arguments; // the text that did not parse, for whoever can repair or report it
        }

        return call;
    }

    private static IDictionary<string, object?>? ParseArguments(string json) =>
        (IDictionary<string, object?>?)JsonSerializer.Deserialize(json, WireJson.Options.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>Servers that omit ids still need distinct ones so results can be matched to calls.</summary>
    public static string SynthesizeCallId(int ordinal) => $"call_{Guid.NewGuid():N}"[..21] + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ChatFinishReason? ToFinishReason(string? value) => value switch
    {
        null or "" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(value),
    };

    public static DateTimeOffset? ToCreatedAt(long? unixSeconds) =>
        unixSeconds is { } s and > 0 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    public static UsageDetails? ToUsage(ChatCompletionUsage? usage, LlamaCppTimings? timings)
    {
        if (usage is null && timings is null)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = usage?.PromptTokens ?? (timings is { PromptN: { } p } ? p + (timings.CacheN ?? 0) : null),
            OutputTokenCount = usage?.CompletionTokens ?? timings?.PredictedN,
            CachedInputTokenCount = usage?.PromptTokensDetails?.CachedTokens ?? usage?.PromptCacheHitTokens ?? timings?.CacheN,
            ReasoningTokenCount = usage?.CompletionTokensDetails?.ReasoningTokens,
        };
        details.TotalTokenCount = usage?.TotalTokens ?? (details.InputTokenCount + details.OutputTokenCount);

        AdditionalPropertiesDictionary<long>? counts = null;
        void Add(string key, long? value)
        {
            if (value is { } v)
            {
                (counts ??= [])[key] = v;
            }
        }

        Add(UsageCountKeys.CacheMissInputTokens, usage?.PromptCacheMissTokens);
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

    private static long? MillisecondsToNanoseconds(double? ms) => ms is { } v ? (long)Math.Round(v * 1_000_000) : null;

    private static long? Round(double? value) => value is { } v ? (long)Math.Round(v) : null;
}
