using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>Builds a <c>/chat/completions</c> request body from Microsoft.Extensions.AI messages and options.</summary>
/// <remarks>
/// Precedence, lowest to highest: typed <see cref="ChatOptions"/> properties, then <see cref="ChatOptions.AdditionalProperties"/>
/// (merged into objects such as <c>chat_template_kwargs</c>, so provider knobs pass through without a new release),
/// then a <see cref="JsonObject"/> returned by <see cref="ChatOptions.RawRepresentationFactory"/>, whose values always win.
/// </remarks>
internal static partial class OpenAICompatibleRequestBuilder
{
    /// <summary>The instruction added when JSON mode needs the word "json" in the prompt and the prompt has none (DeepSeek).</summary>
    internal const string JsonModeInstruction = "Respond with a JSON object.";

    // A retired model id is warned about once per process, not on every request (only retired ids ever enter, so it stays tiny).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> RetiredModelsWarned = new(StringComparer.OrdinalIgnoreCase);

    public static JsonObject Build(IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModelId, OpenAICompatibleDialect dialect, bool stream, object rawFactoryArgument) =>
        BuildRequest(messages, options, defaultModelId, dialect, stream, rawFactoryArgument, NullLogger.Instance).Body;

    public static BuiltChatRequest BuildRequest(
        IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModelId, OpenAICompatibleDialect dialect, bool stream, object rawFactoryArgument, ILogger logger)
    {
        string? model = options?.ModelId ?? defaultModelId;
        var family = dialect.ResolveFamily(model);
        if (family.RetiredReplacement is { } replacement && model is not null && RetiredModelsWarned.TryAdd($"{dialect.ProviderName}/{model}", 0))
        {
            OpenAICompatibleLog.RetiredModel(logger, dialect.ProviderName, model, replacement);
        }

        // Everything but model and messages is collected first, so that the history rule can see the final switches.
        var fields = family.ExtraFields?.DeepClone().AsObject() ?? new JsonObject();
        if (stream)
        {
            fields["stream"] = true;
            if (dialect.IncludeUsageInStream)
            {
                fields["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }

        string? jsonInstruction = null;
        if (options is not null)
        {
            jsonInstruction = ApplyOptions(fields, options, dialect, family, model, logger);
            if (options.AdditionalProperties is { Count: > 0 } extra)
            {
                foreach (var (key, value) in extra)
                {
                    if (key != WireJson.StrictJsonSchemaKey && value is not ThinkingBudgetRequest)
                    {
                        WireJson.Merge(fields, key, WireJson.ToNode(value));
                    }
                }
            }

            if (options.RawRepresentationFactory?.Invoke((IChatClient)rawFactoryArgument) is JsonObject seed)
            {
                foreach (var (key, value) in seed)
                {
                    fields[key] = value?.DeepClone();
                }
            }
        }

        bool? thinking = family.ReasoningSwitch.ThinkingState(fields);

        // A server that thinks only on streamed requests (Model Studio's open-source Qwen3) gets a streamed request from the start.
        bool streamForThinking = !stream && family.ThinkingRequiresStreaming && (thinking ?? family.ThinksByDefault);
        if (streamForThinking)
        {
            fields["stream"] = true;
            if (dialect.IncludeUsageInStream && !fields.ContainsKey("stream_options"))
            {
                fields["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }
        var history = dialect.PreserveThinkingField is { } preserve && IsTrue(fields[preserve]) ? ReasoningHistory.Echo : family.ReasoningHistory;
        bool backfill = history == ReasoningHistory.BackfillEveryAssistantTurn && (thinking ?? family.ThinksByDefault);

        var body = new JsonObject();
        if (model is not null)
        {
            body["model"] = model;
        }

        if (!fields.ContainsKey("messages"))
        {
            var mapped = MapMessages(messages, options?.Instructions, dialect.ProviderName, history, family.ReasoningHistoryField, backfill, dialect.AcceptsCacheControl);
            if (jsonInstruction is null && family.JsonModeNeedsJsonInPrompt && IsJsonObjectMode(fields) && !MentionsJson(mapped))
            {
                jsonInstruction = JsonModeInstruction;
            }

            if (jsonInstruction is not null)
            {
                AddInstruction(mapped, jsonInstruction);
            }

            body["messages"] = mapped;
        }

        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            body[key] = value;
        }

        return new BuiltChatRequest(body, family, thinking, streamForThinking);
    }

    /// <summary>Applies the typed <see cref="ChatOptions"/>; returns an instruction to add when a JSON schema cannot be sent natively.</summary>
    private static string? ApplyOptions(JsonObject body, ChatOptions options, OpenAICompatibleDialect dialect, ModelFamily family, string? model, ILogger logger)
    {
        string? jsonInstruction = null;
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
            case ChatResponseFormatJson { Schema: { } schema } json when !family.SupportsJsonSchema:
                body["response_format"] = new JsonObject { ["type"] = "json_object" };
                jsonInstruction = SchemaInstruction(json, schema);
                OpenAICompatibleLog.JsonSchemaInInstructions(logger, dialect.ProviderName, model ?? "(default)");
                break;
            case ChatResponseFormatJson { Schema: { } schema } json:
                var jsonSchema = new JsonObject { ["name"] = json.SchemaName ?? "response" };
                if (json.SchemaDescription is { } description)
                {
                    jsonSchema["description"] = description;
                }

                jsonSchema["schema"] = WireJson.JsonNodeFrom(schema);
                if (options.AdditionalProperties?.TryGetValue(WireJson.StrictJsonSchemaKey, out object? strict) is true && strict is bool strictValue)
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
        if (tools is { Count: > 0 } && options.ToolMode is RequiredChatToolMode { RequiredFunctionName: { } required } && !dialect.AcceptsNamedToolChoice)
        {
            // The server would read a named tool_choice as "auto" and drop the demand; "required" over just that tool is what it enforces.
            tools = tools.Where(t => t.Name == required).ToList();
            if (tools.Count == 0)
            {
                throw new ArgumentException($"ChatOptions.ToolMode requires the function '{required}', but ChatOptions.Tools has no function of that name.", nameof(options));
            }
        }

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

                function["parameters"] = WireJson.JsonNodeFrom(tool.JsonSchema);
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
                case RequiredChatToolMode { RequiredFunctionName: { } name } when dialect.AcceptsNamedToolChoice:
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
            ApplyReasoning(body, effort, family, dialect.ProviderName, logger, ThinkingBudgetRequest.From(options));
        }

        foreach (var field in dialect.UnsupportedFields)
        {
            if (body.Remove(field))
            {
                OpenAICompatibleLog.UnsupportedFieldDropped(logger, dialect.ProviderName, field);
            }
        }

        return jsonInstruction;
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
