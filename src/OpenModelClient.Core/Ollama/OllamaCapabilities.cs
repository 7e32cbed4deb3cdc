namespace OpenModelClient;

/// <summary>Ollama's capability report (<c>/api/show</c>) as <see cref="ModelCapabilities"/>.</summary>
internal static class OllamaCapabilities
{
    /// <summary>Ollama <c>/api/show</c>: tools, vision and thinking from <c>capabilities</c> (unknown when an old server sends none),
    /// context from <c>model_info</c>. <c>format</c> takes a schema on every model.</summary>
    public static ModelCapabilities From(OllamaModelInfo info)
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
}
