namespace OpenModelClient;

/// <summary>Stable keys under which server-reported counts and timings appear in <c>UsageDetails.AdditionalCounts</c>.</summary>
/// <remarks>Durations are in nanoseconds whatever unit the server used (llama.cpp reports milliseconds, Ollama nanoseconds).</remarks>
public static class UsageCountKeys
{
    /// <summary>Prompt tokens the server actually evaluated (not served from its cache): llama.cpp <c>timings.prompt_n</c>.</summary>
    public const string PromptEvalTokens = "prompt_eval_tokens";

    /// <summary>Time spent evaluating the prompt (prefill), in nanoseconds: llama.cpp <c>timings.prompt_ms</c>, Ollama <c>prompt_eval_duration</c>.</summary>
    public const string PromptEvalDurationNs = "prompt_eval_duration_ns";

    /// <summary>Time spent generating output tokens (decode), in nanoseconds: llama.cpp <c>timings.predicted_ms</c>, Ollama <c>eval_duration</c>.</summary>
    public const string EvalDurationNs = "eval_duration_ns";

    /// <summary>Time spent loading the model, in nanoseconds: Ollama <c>load_duration</c>.</summary>
    public const string LoadDurationNs = "load_duration_ns";

    /// <summary>Total server-side time for the request, in nanoseconds: Ollama <c>total_duration</c>.</summary>
    public const string TotalDurationNs = "total_duration_ns";

    /// <summary>Output tokens per second as the server measured it, rounded to the nearest whole number.</summary>
    public const string OutputTokensPerSecond = "output_tokens_per_second";

    /// <summary>Prompt tokens per second as the server measured it, rounded to the nearest whole number.</summary>
    public const string PromptTokensPerSecond = "prompt_tokens_per_second";

    /// <summary>Tokens drafted by speculative decoding: llama.cpp <c>timings.draft_n</c>.</summary>
    public const string DraftTokens = "draft_tokens";

    /// <summary>Drafted tokens the target model accepted: llama.cpp <c>timings.draft_n_accepted</c>.</summary>
    public const string DraftAcceptedTokens = "draft_accepted_tokens";

    /// <summary>Prompt tokens that missed the provider's cache: DeepSeek <c>prompt_cache_miss_tokens</c>.</summary>
    public const string CacheMissInputTokens = "cache_miss_input_tokens";

    /// <summary>Prompt tokens written to the provider's cache by this request: Model Studio <c>prompt_tokens_details.cache_creation_input_tokens</c>.</summary>
    public const string CacheCreationInputTokens = "cache_creation_input_tokens";
}
