namespace OpenModelClient;

/// <summary>DeepSeek's hosted API as data for the OpenAI-compatible engine (https://api-docs.deepseek.com/).</summary>
internal static class DeepSeekDialect
{
    /// <summary>V4 models (and anything newer): thinking on by default, each assistant turn's <c>reasoning_content</c> required back in thinking mode.</summary>
    public static ModelFamily V4 { get; } = new()
    {
        Name = "deepseek-v4",
        ReasoningSwitch = DeepSeekReasoningSwitch.Instance,
        ReasoningHistory = ReasoningHistory.BackfillEveryAssistantTurn,
        SupportsJsonSchema = false,
        JsonModeNeedsJsonInPrompt = true,
        ThinksByDefault = true,
    };

    /// <summary>The retired names; <c>deepseek-reasoner</c> of the R1 era answered 400 to <c>reasoning_content</c> in input, so it is stripped.</summary>
    public static ModelFamily Legacy { get; } = V4 with
    {
        Name = "deepseek-legacy",
        Models = ["deepseek-chat", "deepseek-reasoner"],
        ReasoningHistory = ReasoningHistory.Strip,
        ThinksByDefault = false,
        RetiredReplacement = DeepSeekModels.Flash,
    };

    public static OpenAICompatibleDialect Instance { get; } = new()
    {
        ProviderName = ProviderNames.DeepSeek,
        ReasoningAlwaysSeparated = true,
        DefaultFamily = V4,
        Families = [Legacy],

        // Not in DeepSeek's parameter list (https://api-docs.deepseek.com/api/create-chat-completion); dropped with a warning rather than risking a 400.
        UnsupportedFields = ["top_k", "seed"],
    };
}
