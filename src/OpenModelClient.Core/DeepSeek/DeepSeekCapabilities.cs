namespace OpenModelClient;

/// <summary>DeepSeek's documented capability table as <see cref="ModelCapabilities"/> (the API reports none).</summary>
internal static class DeepSeekCapabilities
{
    /// <summary>DeepSeek's models and pricing page (https://api-docs.deepseek.com/quick_start/pricing): both current models call tools and think, 1M context, no <c>json_schema</c>;
    /// only <c>deepseek-flash</c> understands images. Other ids: only what holds for the whole API (no <c>json_schema</c>).</summary>
    public static ModelCapabilities For(string modelId)
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
}
