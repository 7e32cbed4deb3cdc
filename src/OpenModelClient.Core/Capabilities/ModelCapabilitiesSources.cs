namespace OpenModelClient;

/// <summary>Maps each provider's capability reports (and the hosted providers' documented tables) to <see cref="ModelCapabilities"/>.</summary>
internal static class ModelCapabilitiesSources
{
    /// <summary>llama.cpp <c>/props</c>: tools from the chat template's capabilities, vision from <c>modalities</c>, context from <c>n_ctx</c>.
    /// JSON schema is always accepted (it becomes a grammar); thinking is not reported. The 2026 server features (resumable streams, exact token counts, reasoning control) are known present from
    /// build b10309 on, the build they were checked against, and unknown on older or unnumbered builds: no request is made to find out.</summary>
    public static ModelCapabilities FromLlamaCpp(LlamaCppServerProperties props, bool resumableStreams = true) => new()
    {
        SupportsResumableStreams = resumableStreams ? LlamaCppBuilds.AtLeast(props.BuildInfo, LlamaCppBuilds.ServerFeatures2026) : false,
        SupportsInputTokenCount = LlamaCppBuilds.AtLeast(props.BuildInfo, LlamaCppBuilds.ServerFeatures2026),
        SupportsReasoningControl = LlamaCppBuilds.AtLeast(props.BuildInfo, LlamaCppBuilds.ServerFeatures2026),
        SupportsModelRouting = LlamaCppJson.GetString(props.Raw, "role") == "router" ? true : LlamaCppBuilds.AtLeast(props.BuildInfo, LlamaCppBuilds.ServerFeatures2026) is true ? false : null,
        SupportsTools = props.ChatTemplateCapabilities.TryGetValue("supports_tool_calls", out var tools) ? tools : null,
        SupportsVision = props.Raw.TryGetProperty("modalities", out _) ? props.SupportsVision : null,
        SupportsJsonSchema = true,
        ContextLength = props.ContextLength is > 0 ? props.ContextLength : null, // a router's own /props reports 0: each model has its own
        Source = "llama.cpp /props",
    };

    /// <summary>Ollama <c>/api/show</c>: tools, vision and thinking from <c>capabilities</c> (unknown when an old server sends none),
    /// context from <c>model_info</c>. <c>format</c> takes a schema on every model.</summary>
    public static ModelCapabilities FromOllama(OllamaModelInfo info)
    {
        bool known = info.Capabilities.Count > 0;
        return new()
        {
            SupportsTools = known ? info.SupportsTools : null,
            SupportsVision = known ? info.SupportsVision : null,
            SupportsThinking = known ? info.SupportsThinking : null,
            SupportsJsonSchema = true,
            SupportsModelRouting = true,
            ContextLength = info.ContextLength,
            Source = "ollama /api/show",
        };
    }

    /// <summary>DeepSeek's models and pricing page (https://api-docs.deepseek.com/quick_start/pricing): both current models call tools and think, 1M context, no <c>json_schema</c>;
    /// only <c>deepseek-flash</c> understands images. Other ids: only what holds for the whole API (no <c>json_schema</c>).</summary>
    public static ModelCapabilities ForDeepSeek(string modelId)
    {
        const string source = "deepseek documented table";
        if (string.Equals(modelId, DeepSeekModels.Flash, StringComparison.OrdinalIgnoreCase)
            || string.Equals(modelId, DeepSeekModels.V4Pro, StringComparison.OrdinalIgnoreCase))
        {
            return new()
            {
                SupportsTools = true,
                SupportsThinking = true,
                ThinksByDefault = true,
                SupportsVision = string.Equals(modelId, DeepSeekModels.Flash, StringComparison.OrdinalIgnoreCase),
                SupportsJsonSchema = false,
                ContextLength = 1_000_000,
                Source = source,
            };
        }

        // The retired aliases: deepseek-chat was V4-Flash without thinking, deepseek-reasoner with it.
        bool? thinks = modelId.ToLowerInvariant() switch { "deepseek-chat" => false, "deepseek-reasoner" => true, _ => null };
        return new() { SupportsJsonSchema = false, ThinksByDefault = thinks, Source = source };
    }

    /// <summary>Model Studio: <c>json_schema</c> only for the models <see cref="QwenChatClientOptions.JsonSchemaModels"/> lists (by default
    /// <c>qwen3.7-*</c> and <c>qwen3.8-*</c>), and whether the model thinks when nothing is sent, from the model's family.</summary>
    public static ModelCapabilities ForQwen(ModelFamily family) => new()
    {
        SupportsJsonSchema = family.SupportsJsonSchema,
        ThinksByDefault = family.ThinksByDefault,
        Source = "qwen documented table",
    };
}
