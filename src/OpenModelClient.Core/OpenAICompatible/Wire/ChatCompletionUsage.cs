namespace OpenModelClient;

internal sealed class ChatCompletionUsage
{
    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public long? TotalTokens { get; set; }

    public PromptTokensDetails? PromptTokensDetails { get; set; }

    public CompletionTokensDetails? CompletionTokensDetails { get; set; }

    /// <summary>DeepSeek's cache figures.</summary>
    public long? PromptCacheHitTokens { get; set; }

    public long? PromptCacheMissTokens { get; set; }
}

internal sealed class PromptTokensDetails
{
    public long? CachedTokens { get; set; }

    /// <summary>Model Studio: prompt tokens this request wrote to the explicit cache.</summary>
    public long? CacheCreationInputTokens { get; set; }
}

internal sealed class CompletionTokensDetails
{
    public long? ReasoningTokens { get; set; }
}
