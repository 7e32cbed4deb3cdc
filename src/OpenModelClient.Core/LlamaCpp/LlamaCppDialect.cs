namespace OpenModelClient;

/// <summary>
/// llama.cpp's <c>llama-server</c> as data for the OpenAI-compatible engine: thinking through the chat template's
/// <c>enable_thinking</c> (or <c>thinking</c> for DeepSeek and Granite templates) with <c>thinking_budget_tokens</c>, and a named
/// <c>tool_choice</c> object read as <c>"auto"</c>, so <c>RequireSpecific</c> is sent as <c>"required"</c> with one tool
/// (https://github.com/ggml-org/llama.cpp/tree/master/tools/server).
/// </summary>
internal static class LlamaCppDialect
{
    /// <summary>Gets the dialect with <c>stream_options.include_usage</c> sent.</summary>
    public static OpenAICompatibleDialect Instance { get; } = Create(includeUsageInStream: true);

    public static OpenAICompatibleDialect Create(bool includeUsageInStream)
    {
        // reasoning_effort "none" switches thinking off in llama-server itself, whichever kwarg the chat template reads: a DeepSeek-R1
        // distill template, which opens <think> in the prompt, ignores chat_template_kwargs.thinking but closes the block for it
        // (https://github.com/ggml-org/llama.cpp/tree/master/tools/server#post-v1chatcompletions-openai-compatible-chat-completions-api).
        var family = OpenAICompatibleDialect.TemplateKwargsFamily with { ThinkingBudgetField = "thinking_budget_tokens", ThinkingOffEffort = "none" };
        return new()
        {
            ProviderName = ProviderNames.LlamaCpp,
            IncludeUsageInStream = includeUsageInStream,
            AcceptsNamedToolChoice = false,
            DefaultFamily = family,
            Families = OpenAICompatibleDialect.TemplateFamilies(family),
        };
    }
}
