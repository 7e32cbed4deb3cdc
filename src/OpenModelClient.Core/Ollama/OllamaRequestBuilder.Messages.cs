using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Messages: text, images as base64, reasoning sent back as <c>thinking</c>, tool calls with object arguments, tool results with <c>tool_name</c>.</summary>
internal static partial class OllamaRequestBuilder
{
    internal static JsonArray MapMessages(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var array = new JsonArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            array.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var text = new StringBuilder();
            StringBuilder? thinking = null;
            JsonArray? images = null;
            JsonArray? toolCalls = null;
            bool hasResults = false;
            bool hasOther = false;

            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        hasOther = true;
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r when ReasoningProvenance.IsForeign(r, ProviderNames.Ollama):
                        // Another provider's reasoning is never replayed into this one after a swap.
                        break;
                    case TextReasoningContent r:
                        // Sent back as "thinking", never inside content (Ollama strips think tags from earlier turns' content).
                        hasOther = true;
                        (thinking ??= new StringBuilder()).Append(r.Text);
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        hasOther = true;
                        (images ??= []).Add((JsonNode?)JsonValue.Create(data.Base64Data.ToString()));
                        break;
                    case FunctionCallContent call:
                        hasOther = true;
                        callNames[call.CallId] = call.Name;
                        toolCalls ??= [];
                        toolCalls.Add((JsonNode)new JsonObject
                        {
                            ["id"] = call.CallId,
                            ["function"] = new JsonObject
                            {
                                ["index"] = toolCalls.Count,
                                ["name"] = call.Name,
                                ["arguments"] = ArgumentsObject(call.Arguments), // an object: a string is rejected by Ollama's API
                            },
                        });
                        break;
                    case FunctionResultContent result:
                        hasResults = true;
                        var tool = new JsonObject { ["role"] = "tool", ["content"] = WireJson.SerializeResult(result.Result) };
                        if (callNames.TryGetValue(result.CallId, out var name))
                        {
                            tool["tool_name"] = name;
                        }

                        tool["tool_call_id"] = result.CallId;
                        array.Add((JsonNode)tool);
                        break;
                    case UriContent uri when uri.HasTopLevelMediaType("image"):
                        throw new NotSupportedException($"{ProviderNames.Ollama}: images must be sent as bytes (DataContent), not as a URL; Ollama accepts base64 image data only.");
                    case DataContent or UriContent:
                        throw new NotSupportedException($"{ProviderNames.Ollama}: content of media type '{(content as DataContent)?.MediaType ?? ((UriContent)content).MediaType}' cannot be sent to /api/chat; only images (image/*) are accepted.");
                }
            }

            if (hasResults && !hasOther)
            {
                continue; // a message that held only tool results was written as role=tool messages
            }

            var item = new JsonObject { ["role"] = message.Role.Value, ["content"] = text.ToString() };
            if (thinking is not null && message.Role == ChatRole.Assistant)
            {
                item["thinking"] = thinking.ToString();
            }

            if (images is not null)
            {
                item["images"] = images;
            }

            if (toolCalls is not null)
            {
                item["tool_calls"] = toolCalls;
            }

            array.Add((JsonNode)item);
        }

        return array;
    }

    private static JsonNode ArgumentsObject(IDictionary<string, object?>? arguments) =>
        arguments is null
            ? new JsonObject()
            : JsonSerializer.SerializeToNode(arguments, WireJson.Options.GetTypeInfo(typeof(IDictionary<string, object?>))) ?? new JsonObject();
}
