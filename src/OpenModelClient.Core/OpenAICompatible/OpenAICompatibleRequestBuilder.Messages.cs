using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The message mapping of the request builder, history rules included.</summary>
internal static partial class OpenAICompatibleRequestBuilder
{
    internal static JsonArray MapMessages(IEnumerable<ChatMessage> messages, string? instructions, string provider, ReasoningHistory history, string historyField, bool backfill, bool cacheMarkers = false)
    {
        int markers = 0;
        var list = messages as IList<ChatMessage> ?? [.. messages];
        int lastUser = -1;
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Role == ChatRole.User)
            {
                lastUser = i;
                break;
            }
        }

        var array = new JsonArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            array.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        for (int index = 0; index < list.Count; index++)
        {
            var message = list[index];
            var parts = new JsonArray();
            var textOnly = true;
            string? singleText = null;
            int textCount = 0;
            string? reasoning = null;
            JsonArray? toolCalls = null;

            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        textCount++;
                        singleText = text.Text;
                        var part = new JsonObject { ["type"] = "text", ["text"] = text.Text };
                        if (cacheMarkers && PromptCacheBreakpoint.Read(text.AdditionalProperties) is { } marker)
                        {
                            part["cache_control"] = marker;
                            markers++;
                            textOnly = false; // the marker sits on a content part, so the content must be parts
                        }

                        parts.Add((JsonNode)part);
                        break;
                    case TextReasoningContent thought when !ReasoningProvenance.IsForeign(thought, provider):
                        reasoning = reasoning is null ? thought.Text : reasoning + thought.Text;
                        break;
                    case FunctionCallContent call:
                        (toolCalls ??= []).Add((JsonNode)new JsonObject
                        {
                            ["id"] = call.CallId,
                            ["type"] = "function",
                            ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = SerializeArguments(call.Arguments) },
                        });
                        break;
                    case FunctionResultContent result:
                        array.Add((JsonNode)new JsonObject { ["role"] = "tool", ["tool_call_id"] = result.CallId, ["content"] = WireJson.SerializeResult(result.Result) });
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        textOnly = false;
                        parts.Add((JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = data.Uri } });
                        break;
                    case DataContent data when data.HasTopLevelMediaType("audio"):
                        textOnly = false;
                        parts.Add((JsonNode)new JsonObject
                        {
                            ["type"] = "input_audio",
                            ["input_audio"] = new JsonObject { ["data"] = data.Base64Data.ToString(), ["format"] = AudioFormat(data.MediaType) },
                        });
                        break;
                    case UriContent uri when uri.HasTopLevelMediaType("image"):
                        textOnly = false;
                        parts.Add((JsonNode)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = uri.Uri.ToString() } });
                        break;
                    case DataContent or UriContent:
                        throw new NotSupportedException($"{provider}: content of media type '{MediaTypeOf(content)}' cannot be sent over the chat-completions protocol; send images (image/*) or audio (audio/*).");
                }
            }

            bool hasBody = parts.Count > 0 || toolCalls is not null || reasoning is not null;
            if (!hasBody)
            {
                // A message that held only tool results was already written as role=tool messages.
                if (message.Contents.Any(c => c is FunctionResultContent))
                {
                    continue;
                }
            }

            if (cacheMarkers && parts.Count > 0 && parts[^1]!["cache_control"] is null && PromptCacheBreakpoint.Read(message.AdditionalProperties) is { } messageMarker)
            {
                parts[^1]!["cache_control"] = messageMarker;
                markers++;
                textOnly = false;
            }

            var item = new JsonObject { ["role"] = message.Role.Value };
            if (!string.IsNullOrEmpty(message.AuthorName))
            {
                item["name"] = message.AuthorName;
            }

            if (textOnly && textCount == 1)
            {
                item["content"] = singleText;
            }
            else if (parts.Count > 0)
            {
                item["content"] = parts;
            }
            else
            {
                // content: null beside tool_calls; some servers reject "" there (the OpenAI schema allows null there; an empty string is refused by some).
                item["content"] = toolCalls is null ? string.Empty : null;
            }

            if (message.Role == ChatRole.Assistant)
            {
                string? sent = history switch
                {
                    ReasoningHistory.Echo => reasoning,
                    ReasoningHistory.EchoInToolCallTurn when index > lastUser => reasoning,
                    ReasoningHistory.BackfillEveryAssistantTurn when backfill => reasoning ?? string.Empty,
                    ReasoningHistory.BackfillEveryAssistantTurn when toolCalls is not null => reasoning,
                    _ => null,
                };
                if (sent is not null)
                {
                    item[historyField] = sent;
                }
            }

            if (toolCalls is not null)
            {
                item["tool_calls"] = toolCalls;
            }

            array.Add((JsonNode)item);
        }

        PromptCacheBreakpoint.ThrowIfTooMany(markers, provider);
        return array;
    }
}
