namespace OpenModelClient;

/// <summary>Model Studio's documented capabilities as <see cref="ModelCapabilities"/> (the API reports none).</summary>
internal static class QwenCapabilities
{
    /// <summary>Model Studio: <c>json_schema</c> only for the models <see cref="QwenChatClientOptions.JsonSchemaModels"/> lists (by default
    /// <c>qwen3.7-*</c> and <c>qwen3.8-*</c>), and whether the model thinks when nothing is sent, from the model's family.</summary>
    public static ModelCapabilities For(ModelFamily family) => new()
    {
        SupportsJsonSchema = family.SupportsJsonSchema,
        ThinksByDefault = family.ThinksByDefault,
        Source = "qwen documented table",
    };
}
