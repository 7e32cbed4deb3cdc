using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Builds a <c>/chat/completions</c> request body from Microsoft.Extensions.AI messages and options.</summary>
/// <remarks>
/// Precedence, lowest to highest: typed <see cref="ChatOptions"/> properties, then <see cref="ChatOptions.AdditionalProperties"/>
/// (merged into objects such as <c>chat_template_kwargs</c>, so provider knobs pass through without a new release),
/// then a <see cref="JsonObject"/> returned by <see cref="ChatOptions.RawRepresentationFactory"/>, whose values always win.
/// </remarks>
internal static class OpenAICompatibleRequestBuilder
{
    // The reasoning budgets of DESIGN.md §6, in tokens.
    internal const int LowThinkingBudget = 1024;
    internal const int MediumThinkingBudget = 4096;
    internal const int HighThinkingBudget = 16384;

    /// <summary>Microsoft.Extensions.AI's convention for asking a provider to enforce a JSON schema strictly; not sent as a field itself.</summary>
    internal const string StrictJsonSchemaKey = "strictJsonSchema";

    public static JsonObject Build(IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModelId, OpenAICompatibleDialect dialect, bool stream, object rawFactoryArgument)
    {
        var body = new JsonObject();
        if ((options?.ModelId ?? defaultModelId) is { } model)
        {
            body["model"] = model;
        }

        body["messages"] = MapMessages(messages, options?.Instructions, dialect);
        if (stream)
        {
            body["stream"] = true;
            if (dialect.IncludeUsageInStream)
            {
                body["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }

        if (options is not null)
        {
            ApplyOptions(body, options, dialect);
            if (options.AdditionalProperties is { Count: > 0 } extra)
            {
                foreach (var (key, value) in extra)
                {
                    if (key != StrictJsonSchemaKey)
                    {
                        Merge(body, key, ToNode(value));
                    }
                }
            }

            if (options.RawRepresentationFactory?.Invoke((IChatClient)rawFactoryArgument) is JsonObject seed)
            {
                foreach (var (key, value) in seed)
                {
                    body[key] = value?.DeepClone();
                }
            }
        }

        return body;
    }

    private static void ApplyOptions(JsonObject body, ChatOptions options, OpenAICompatibleDialect dialect)
    {
        SetIfNotNull(body, "temperature", options.Temperature);
        SetIfNotNull(body, "top_p", options.TopP);
        SetIfNotNull(body, "top_k", options.TopK);
        SetIfNotNull(body, "max_tokens", options.MaxOutputTokens);
        SetIfNotNull(body, "seed", options.Seed);
        SetIfNotNull(body, "frequency_penalty", options.FrequencyPenalty);
        SetIfNotNull(body, "presence_penalty", options.PresencePenalty);
        if (options.StopSequences is { Count: > 0 } stops)
        {
            body["stop"] = new JsonArray([.. stops.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        switch (options.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                var jsonSchema = new JsonObject { ["name"] = json.SchemaName ?? "response" };
                if (json.SchemaDescription is { } description)
                {
                    jsonSchema["description"] = description;
                }

                jsonSchema["schema"] = JsonNodeFrom(schema);
                if (options.AdditionalProperties?.TryGetValue(StrictJsonSchemaKey, out object? strict) is true && strict is bool strictValue)
                {
                    jsonSchema["strict"] = strictValue;
                }

                body["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = jsonSchema };
                break;
            case ChatResponseFormatJson:
                body["response_format"] = new JsonObject { ["type"] = "json_object" };
                break;
        }

        var tools = options.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (tools is { Count: > 0 })
        {
            var array = new JsonArray();
            foreach (var tool in tools)
            {
                var function = new JsonObject { ["name"] = tool.Name };
                if (!string.IsNullOrEmpty(tool.Description))
                {
                    function["description"] = tool.Description;
                }

                function["parameters"] = JsonNodeFrom(tool.JsonSchema);
                array.Add((JsonNode)new JsonObject { ["type"] = "function", ["function"] = function });
            }

            body["tools"] = array;
            switch (options.ToolMode)
            {
                case NoneChatToolMode:
                    body["tool_choice"] = "none";
                    break;
                case AutoChatToolMode:
                    body["tool_choice"] = "auto";
                    break;
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    body["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };
                    break;
                case RequiredChatToolMode:
                    body["tool_choice"] = "required";
                    break;
            }

            SetIfNotNull(body, "parallel_tool_calls", options.AllowMultipleToolCalls);
        }

        if (options.Reasoning?.Effort is { } effort)
        {
            ApplyReasoning(body, effort, dialect);
        }
    }

    private static void ApplyReasoning(JsonObject body, ReasoningEffort effort, OpenAICompatibleDialect dialect)
    {
        bool enabled = effort != ReasoningEffort.None;
        switch (dialect.ReasoningSwitch)
        {
            case ReasoningSwitch.ChatTemplateKwargs:
                Merge(body, "chat_template_kwargs", new JsonObject { ["enable_thinking"] = enabled });
                break;
        }

        int? budget = effort switch
        {
            ReasoningEffort.Low => LowThinkingBudget,
            ReasoningEffort.Medium => MediumThinkingBudget,
            ReasoningEffort.High => HighThinkingBudget,
            _ => null,
        };
        if (budget is not null && dialect.ThinkingBudgetField is { } field)
        {
            body[field] = budget.Value;
        }
    }

    internal static JsonArray MapMessages(IEnumerable<ChatMessage> messages, string? instructions, OpenAICompatibleDialect dialect)
    {
        var array = new JsonArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            array.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        foreach (var message in messages)
        {
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
                        parts.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = text.Text });
                        break;
                    case TextReasoningContent thought:
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
                        array.Add((JsonNode)new JsonObject { ["role"] = "tool", ["tool_call_id"] = result.CallId, ["content"] = SerializeResult(result.Result) });
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
                        throw new NotSupportedException($"{dialect.ProviderName}: content of media type '{MediaTypeOf(content)}' cannot be sent over the chat-completions protocol; send images (image/*) or audio (audio/*).");
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
                // content: null beside tool_calls; some servers reject "" there (PROTOCOLS §6.25).
                item["content"] = toolCalls is null ? string.Empty : null;
            }

            if (reasoning is not null && dialect.ReasoningHistoryField is { } field && message.Role == ChatRole.Assistant)
            {
                item[field] = reasoning;
            }

            if (toolCalls is not null)
            {
                item["tool_calls"] = toolCalls;
            }

            array.Add((JsonNode)item);
        }

        return array;
    }

    private static string AudioFormat(string mediaType) => mediaType switch
    {
        "audio/mpeg" or "audio/mp3" => "mp3",
        _ => mediaType.StartsWith("audio/", StringComparison.Ordinal) ? mediaType["audio/".Length..] : "wav",
    };

    private static string MediaTypeOf(AIContent content) => content switch
    {
        DataContent d => d.MediaType,
        UriContent u => u.MediaType,
        _ => content.GetType().Name,
    };

    private static string SerializeArguments(IDictionary<string, object?>? arguments) =>
        arguments is null ? "{}" : JsonSerializer.Serialize(arguments, WireJson.Options.GetTypeInfo(typeof(IDictionary<string, object?>)));

    internal static string SerializeResult(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => JsonSerializer.Serialize(result, WireJson.Options.GetTypeInfo(result.GetType())),
    };

    private static JsonNode? JsonNodeFrom(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => null,
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        _ => JsonValue.Create(element),
    };

    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNodeFrom(element),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        float f => JsonValue.Create(f),
        double d => JsonValue.Create(d),
        _ => JsonSerializer.SerializeToNode(value, WireJson.Options.GetTypeInfo(value.GetType())),
    };

    /// <summary>Sets <paramref name="key"/>, merging objects key by key so that, e.g., two sources of <c>chat_template_kwargs</c> combine.</summary>
    internal static void Merge(JsonObject target, string key, JsonNode? value)
    {
        if (value is JsonObject incoming && target[key] is JsonObject existing)
        {
            foreach (var (k, v) in incoming.ToList())
            {
                incoming.Remove(k);
                Merge(existing, k, v);
            }

            return;
        }

        target[key] = value;
    }

    private static void SetIfNotNull(JsonObject body, string key, float? value)
    {
        if (value is { } v)
        {
            body[key] = v;
        }
    }

    private static void SetIfNotNull(JsonObject body, string key, int? value)
    {
        if (value is { } v)
        {
            body[key] = v;
        }
    }

    private static void SetIfNotNull(JsonObject body, string key, long? value)
    {
        if (value is { } v)
        {
            body[key] = v;
        }
    }

    private static void SetIfNotNull(JsonObject body, string key, bool? value)
    {
        if (value is { } v)
        {
            body[key] = v;
        }
    }
}
