using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Builds native <c>/api/chat</c> and <c>/api/embed</c> bodies from Microsoft.Extensions.AI messages and options. Pure, apart from a warning log.</summary>
/// <remarks>
/// Precedence, lowest to highest: the client's defaults; typed <see cref="ChatOptions"/> properties; <see cref="OllamaRequestSettings"/>
/// (from <c>AdditionalProperties</c>, then from <c>RawRepresentationFactory</c>); raw <c>AdditionalProperties</c> entries, merged by key
/// (so <c>"options"</c> combines with the typed options); a <see cref="JsonObject"/> from <c>RawRepresentationFactory</c>, whose keys win.
/// </remarks>
internal static partial class OllamaRequestBuilder
{
    public static JsonObject BuildChat(IEnumerable<ChatMessage> messages, ChatOptions? options, OllamaClientDefaults defaults, bool stream, IChatClient owner, ILogger logger, bool serverTakesThinkMax = false)
    {
        object? raw = options?.RawRepresentationFactory?.Invoke(owner);
        var settings = CollectSettings(options?.AdditionalProperties, raw);
        string model = options?.ModelId ?? defaults.ModelId ?? string.Empty;

        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = MapMessages(messages, options?.Instructions),
            ["stream"] = stream, // the server streams unless told otherwise
        };

        var modelOptions = (JsonObject)defaults.ModelOptions.DeepClone();
        if (options is not null)
        {
            ApplyChatOptions(body, modelOptions, options, logger);
        }

        foreach (var s in settings)
        {
            s.ModelOptions?.WriteTo(modelOptions);
        }

        if (modelOptions.Count > 0)
        {
            body["options"] = modelOptions;
        }

        if (ResolveThink(options, settings, defaults, model, serverTakesThinkMax) is { } think)
        {
            body["think"] = think;
        }

        ApplyCommonSettings(body, defaults.KeepAlive, defaults.Truncate, settings);
        foreach (var s in settings)
        {
            SetIfNotNull(body, "shift", s.Shift);
            SetIfNotNull(body, "logprobs", s.Logprobs);
            SetIfNotNull(body, "top_logprobs", s.TopLogprobs);
        }

        ApplyPassthrough(body, options?.AdditionalProperties, raw);
        ThrowIfNoModel(body);
        return body;
    }

    public static JsonObject BuildEmbed(IReadOnlyList<string> values, EmbeddingGenerationOptions? options, OllamaClientDefaults defaults, IEmbeddingGenerator owner)
    {
        object? raw = options?.RawRepresentationFactory?.Invoke(owner);
        var settings = CollectSettings(options?.AdditionalProperties, raw);
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? defaults.ModelId ?? string.Empty,
            ["input"] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]),
        };

        if (options?.Dimensions is { } dimensions)
        {
            body["dimensions"] = dimensions;
        }

        ApplyCommonSettings(body, defaults.KeepAlive, defaults.Truncate, settings);
        var modelOptions = (JsonObject)defaults.ModelOptions.DeepClone();
        foreach (var s in settings)
        {
            s.ModelOptions?.WriteTo(modelOptions);
        }

        if (modelOptions.Count > 0)
        {
            body["options"] = modelOptions;
        }

        ApplyPassthrough(body, options?.AdditionalProperties, raw);
        ThrowIfNoModel(body);
        return body;
    }

    /// <summary>Maps <see cref="ReasoningEffort"/> (docs/reasoning.md): levels only for models that take them, otherwise a boolean.</summary>
    /// <remarks>
    /// <c>ExtraHigh</c> is <c>"max"</c> only where the server is known to take it (Ollama 0.22 and later); older or unknown versions get
    /// <c>"high"</c>. Effort words Ollama does not know (<c>"none"</c>, <c>"minimal"</c>, <c>"xhigh"</c>) fail with HTTP 500, so none is ever sent.
    /// </remarks>
    internal static JsonNode ThinkFor(ReasoningEffort effort, string model, IReadOnlyList<string> levelModels, bool serverTakesThinkMax = false)
    {
        if (effort == ReasoningEffort.None)
        {
            return false;
        }

        if (!TakesLevels(model, levelModels))
        {
            return true;
        }

        return effort switch
        {
            ReasoningEffort.Low => "low",
            ReasoningEffort.Medium => "medium",
            ReasoningEffort.ExtraHigh when serverTakesThinkMax => "max",
            _ => "high",
        };
    }

    internal static JsonNode ThinkFor(OllamaThinkMode mode) => mode switch
    {
        OllamaThinkMode.Disabled => false,
        OllamaThinkMode.Enabled => true,
        OllamaThinkMode.Low => "low",
        OllamaThinkMode.Medium => "medium",
        OllamaThinkMode.High => "high",
        OllamaThinkMode.Max => "max",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown think mode."),
    };

    /// <summary>Formats <c>keep_alive</c>: a Go duration string, or -1 (keep loaded) for an infinite or negative span.</summary>
    internal static JsonNode KeepAliveValue(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return -1;
        }

        long ms = (long)Math.Round(value.TotalMilliseconds);
        if (ms == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        void Part(long amount, string unit)
        {
            if (amount > 0)
            {
                sb.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(ms / 3_600_000, "h");
        Part(ms / 60_000 % 60, "m");
        Part(ms / 1000 % 60, "s");
        Part(ms % 1000, "ms");
        return sb.ToString();
    }

    private static void ApplyChatOptions(JsonObject body, JsonObject modelOptions, ChatOptions options, ILogger logger)
    {
        SetIfNotNull(modelOptions, "temperature", options.Temperature);
        SetIfNotNull(modelOptions, "top_p", options.TopP);
        SetIfNotNull(modelOptions, "top_k", options.TopK);
        SetIfNotNull(modelOptions, "seed", options.Seed);
        SetIfNotNull(modelOptions, "num_predict", options.MaxOutputTokens);
        SetIfNotNull(modelOptions, "frequency_penalty", options.FrequencyPenalty);
        SetIfNotNull(modelOptions, "presence_penalty", options.PresencePenalty);
        if (options.StopSequences is { Count: > 0 } stops)
        {
            modelOptions["stop"] = new JsonArray([.. stops.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        switch (options.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema }:
                body["format"] = WireJson.ToNode(schema);
                break;
            case ChatResponseFormatJson:
                body["format"] = "json";
                break;
        }

        var tools = options.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (tools is not { Count: > 0 })
        {
            return;
        }

        // Ollama has no tool_choice. "None" is honoured by not offering the tools; "Required" cannot be enforced and is not faked.
        switch (options.ToolMode)
        {
            case NoneChatToolMode:
                return;
            case RequiredChatToolMode required:
                OllamaLog.ToolModeNotEnforced(logger, required.RequiredFunctionName is { } fn ? $"RequireSpecific({fn})" : "RequireAny");
                break;
        }

        var array = new JsonArray();
        foreach (var tool in tools)
        {
            var function = new JsonObject { ["name"] = tool.Name };
            if (!string.IsNullOrEmpty(tool.Description))
            {
                function["description"] = tool.Description;
            }

            function["parameters"] = WireJson.ToNode(tool.JsonSchema);
            array.Add((JsonNode)new JsonObject { ["type"] = "function", ["function"] = function });
        }

        body["tools"] = array;
    }

    private static JsonNode? ResolveThink(ChatOptions? options, List<OllamaRequestSettings> settings, OllamaClientDefaults defaults, string model, bool serverTakesThinkMax)
    {
        for (int i = settings.Count - 1; i >= 0; i--)
        {
            if (settings[i].Think is { } mode)
            {
                return ThinkFor(mode);
            }
        }

        if (options?.Reasoning?.Effort is { } effort)
        {
            return ThinkFor(effort, model, defaults.ThinkLevelModels, serverTakesThinkMax);
        }

        return defaults.Think is { } fallback ? ThinkFor(fallback) : null;
    }

    private static void ApplyCommonSettings(JsonObject body, TimeSpan? keepAlive, bool? truncate, List<OllamaRequestSettings> settings)
    {
        foreach (var s in settings)
        {
            keepAlive = s.KeepAlive ?? keepAlive;
            truncate = s.Truncate ?? truncate;
        }

        if (keepAlive is { } k)
        {
            body["keep_alive"] = KeepAliveValue(k);
        }

        SetIfNotNull(body, "truncate", truncate);
    }

    private static List<OllamaRequestSettings> CollectSettings(AdditionalPropertiesDictionary? extra, object? raw)
    {
        var list = new List<OllamaRequestSettings>(2);
        if (extra?.TryGetValue(OllamaRequestSettings.AdditionalPropertiesKey, out object? value) is true && value is OllamaRequestSettings fromProperties)
        {
            list.Add(fromProperties);
        }

        if (raw is OllamaRequestSettings fromFactory)
        {
            list.Add(fromFactory);
        }

        return list;
    }

    private static void ApplyPassthrough(JsonObject body, AdditionalPropertiesDictionary? extra, object? raw)
    {
        if (extra is { Count: > 0 })
        {
            foreach (var (key, value) in extra)
            {
                if (key is not OllamaRequestSettings.AdditionalPropertiesKey and not WireJson.StrictJsonSchemaKey && value is not ThinkingBudgetRequest)
                {
                    WireJson.Merge(body, key, WireJson.ToNode(value));
                }
            }
        }

        if (raw is JsonObject seed)
        {
            foreach (var (key, value) in seed)
            {
                body[key] = value?.DeepClone();
            }
        }
    }

    private static void ThrowIfNoModel(JsonObject body)
    {
        if (body["model"] is not JsonValue v || !v.TryGetValue(out string? model) || string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException($"{ProviderNames.Ollama}: no model to ask. Pass a model id to the constructor or set ChatOptions.ModelId / EmbeddingGenerationOptions.ModelId.");
        }
    }

    internal static bool TakesLevels(string model, IReadOnlyList<string> levelModels)
    {
        var name = model.AsSpan();
        int slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        foreach (var prefix in levelModels)
        {
            if (!string.IsNullOrEmpty(prefix) && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void SetIfNotNull(JsonObject target, string key, float? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }

    private static void SetIfNotNull(JsonObject target, string key, int? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }

    private static void SetIfNotNull(JsonObject target, string key, long? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }

    private static void SetIfNotNull(JsonObject target, string key, bool? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }
}
