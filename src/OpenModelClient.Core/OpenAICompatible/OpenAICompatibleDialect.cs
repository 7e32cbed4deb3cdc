namespace OpenModelClient;

/// <summary>What makes one OpenAI-compatible server differ from another, expressed as data the shared engine reads.</summary>
internal sealed class OpenAICompatibleDialect
{
    public required string ProviderName { get; init; }

    /// <summary>Gets whether to send <c>stream_options.include_usage</c> so usage arrives in streams (some servers reject the field).</summary>
    public bool IncludeUsageInStream { get; init; } = true;

    /// <summary>Gets the assistant-message field that carries reasoning back in history; <see langword="null"/> strips it.</summary>
    public string? ReasoningHistoryField { get; init; } = "reasoning_content";

    /// <summary>Gets how <c>ChatOptions.Reasoning</c> is expressed on the wire.</summary>
    public ReasoningSwitch ReasoningSwitch { get; init; } = ReasoningSwitch.ChatTemplateKwargs;

    /// <summary>Gets the request field for a thinking budget in tokens (llama.cpp <c>thinking_budget_tokens</c>); <see langword="null"/> sends none.</summary>
    public string? ThinkingBudgetField { get; init; }

    public static OpenAICompatibleDialect LlamaCpp { get; } = new()
    {
        ProviderName = ProviderNames.LlamaCpp,
        ThinkingBudgetField = "thinking_budget_tokens",
    };

    public static OpenAICompatibleDialect Generic { get; } = new()
    {
        ProviderName = ProviderNames.OpenAICompatible,
    };
}

/// <summary>The wire switch a server uses to turn thinking on or off.</summary>
internal enum ReasoningSwitch
{
    /// <summary>Send nothing: the server has no per-request switch.</summary>
    None,

    /// <summary><c>chat_template_kwargs.enable_thinking</c> (llama.cpp, vLLM, SGLang with Qwen3-style templates).</summary>
    ChatTemplateKwargs,
}
