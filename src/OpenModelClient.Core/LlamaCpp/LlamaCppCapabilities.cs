namespace OpenModelClient;

/// <summary>llama.cpp's capability report (<c>/props</c>) as <see cref="ModelCapabilities"/>.</summary>
internal static class LlamaCppCapabilities
{
    /// <summary>llama.cpp <c>/props</c>: tools from the chat template's capabilities, vision from <c>modalities</c>, context from <c>n_ctx</c>.
    /// JSON schema is always accepted (it becomes a grammar); thinking is not reported. The 2026 server features (resumable streams, exact token counts, reasoning control) are known present from
    /// build b10309 on, the build they were checked against, and unknown on older or unnumbered builds: no request is made to find out.</summary>
    public static ModelCapabilities From(LlamaCppServerProperties props, bool resumableStreams = true) => new()
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
}
