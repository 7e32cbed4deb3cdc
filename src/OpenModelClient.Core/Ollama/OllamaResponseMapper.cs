using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Maps <c>/api/chat</c> and <c>/api/embed</c> wire objects to Microsoft.Extensions.AI objects. Pure functions, no I/O.</summary>
/// <remarks>Finish reasons, function calls and synthesised call ids come from the chat-completions mapper, so the caller sees the same objects for the same meaning on every provider.</remarks>
internal static class OllamaResponseMapper
{
    public static ChatResponse ToChatResponse(OllamaChatResponse response, string responseId, bool splitThinkTags, bool hideReasoning)
    {
        var contents = new List<AIContent>();
        bool sawToolCalls = false;
        if (response.Message is { } message)
        {
            if (!hideReasoning && !string.IsNullOrEmpty(message.Thinking))
            {
                contents.Add(new TextReasoningContent(message.Thinking));
            }

            if (!string.IsNullOrEmpty(message.Content))
            {
                if (splitThinkTags)
                {
                    ThinkTagSplitter.SplitComplete(message.Content, contents);
                    if (hideReasoning)
                    {
                        contents.RemoveAll(c => c is TextReasoningContent);
                    }
                }
                else
                {
                    contents.Add(new TextContent(message.Content));
                }
            }

            int ordinal = 0;
            sawToolCalls = AddToolCalls(message.ToolCalls, contents, ref ordinal);
        }

        var chatMessage = new ChatMessage(ChatRole.Assistant, contents)
        {
            MessageId = responseId,
            RawRepresentation = response.Message,
        };
        if (response.Logprobs is { ValueKind: JsonValueKind.Array } logprobs)
        {
            chatMessage.AdditionalProperties = new() { [LogprobsExtensions.RawKey] = logprobs };
        }

        ReasoningProvenance.Tag(chatMessage.Contents, ProviderNames.Ollama);
        return new ChatResponse(chatMessage)
        {
            ResponseId = responseId,
            ModelId = response.Model,
            CreatedAt = response.CreatedAt,
            FinishReason = ToFinishReason(response.DoneReason, sawToolCalls),
            Usage = ToUsage(response.PromptEvalCount, response.EvalCount, response.TotalDuration, response.LoadDuration, response.PromptEvalDuration, response.EvalDuration),
            RawRepresentation = response,
        };
    }

    /// <summary>Adds one <see cref="FunctionCallContent"/> per call, each complete; returns whether any was added.</summary>
    public static bool AddToolCalls(List<OllamaToolCall>? calls, IList<AIContent> output, ref int ordinal)
    {
        if (calls is not { Count: > 0 })
        {
            return false;
        }

        foreach (var call in calls)
        {
            string? arguments = call.Function?.Arguments switch
            {
                null => null,
                { ValueKind: JsonValueKind.String } s => s.GetString(),
                { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
                { } element => element.GetRawText(),
            };
            output.Add(ChatContentMapping.CreateFunctionCall(ProviderNames.Ollama, call.Id, call.Function?.Name, arguments, ordinal++));
        }

        return true;
    }

    /// <summary><c>done_reason</c> → finish reason: missing means stop, and stop after tool calls means tool calls, as on the OpenAI-compatible servers.</summary>
    public static ChatFinishReason ToFinishReason(string? doneReason, bool sawToolCalls)
    {
        var reason = ChatContentMapping.ToFinishReason(doneReason) ?? ChatFinishReason.Stop;
        return sawToolCalls && reason == ChatFinishReason.Stop ? ChatFinishReason.ToolCalls : reason;
    }

    /// <summary>Token counts and the server's durations (nanoseconds) with the derived tokens per second; <see langword="null"/> when nothing was reported.</summary>
    public static UsageDetails? ToUsage(long? promptEvalCount, long? evalCount, long? totalDuration, long? loadDuration, long? promptEvalDuration, long? evalDuration)
    {
        if (promptEvalCount is null && evalCount is null && totalDuration is null && loadDuration is null)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = WireNumbers.Count(promptEvalCount),
            OutputTokenCount = WireNumbers.Count(evalCount),
            TotalTokenCount = promptEvalCount is null && evalCount is null ? null : WireNumbers.Sum(WireNumbers.Count(promptEvalCount ?? 0), WireNumbers.Count(evalCount ?? 0)),
        };

        AdditionalPropertiesDictionary<long>? counts = null;
        void Add(string key, long? value)
        {
            if (value is { } v)
            {
                (counts ??= [])[key] = v;
            }
        }

        Add(UsageCountKeys.TotalDurationNs, totalDuration);
        Add(UsageCountKeys.LoadDurationNs, loadDuration);
        Add(UsageCountKeys.PromptEvalTokens, promptEvalCount);
        Add(UsageCountKeys.PromptEvalDurationNs, promptEvalDuration);
        Add(UsageCountKeys.EvalDurationNs, evalDuration);
        Add(UsageCountKeys.PromptTokensPerSecond, PerSecond(promptEvalCount, promptEvalDuration));
        Add(UsageCountKeys.OutputTokensPerSecond, PerSecond(evalCount, evalDuration));
        details.AdditionalCounts = counts;
        return details;
    }

    /// <summary>Tokens per second = count / duration(ns) × 1e9 (Ollama reports durations in nanoseconds), rounded.</summary>
    internal static long? PerSecond(long? count, long? durationNs) =>
        count is { } c && durationNs is > 0 and { } d ? WireNumbers.Round(c * 1e9 / d) : null;
}
