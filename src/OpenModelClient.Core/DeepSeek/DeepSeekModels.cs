namespace OpenModelClient;

/// <summary>DeepSeek model ids current since the 2026 V4 releases (https://api-docs.deepseek.com/quick_start/pricing). Discover others with <c>GET /models</c>.</summary>
/// <remarks>
/// <c>deepseek-chat</c> and <c>deepseek-reasoner</c> were retired on 2026-07-24; using them logs a warning. Both current models think by
/// default: send <c>ChatOptions.Reasoning.Effort = ReasoningEffort.None</c> for plain chat.
/// </remarks>
public static class DeepSeekModels
{
    /// <summary>DeepSeek-V4.1-Flash: cheap and fast, 1M context, thinking on by default, image understanding.</summary>
    public const string Flash = "deepseek-flash";

    /// <summary>DeepSeek-V4-Pro: the strongest model, 1M context, thinking on by default.</summary>
    public const string V4Pro = "deepseek-v4-pro";
}
