namespace OpenModelClient;

/// <summary>What makes one OpenAI-compatible server differ from another, expressed as data the shared engine reads.</summary>
/// <remarks>
/// Per-model behaviour (the reasoning switch, history rule, JSON-schema support, streaming-only thinking) lives in
/// <see cref="ModelFamily"/> entries: the first family whose patterns match the request's model applies, else <see cref="DefaultFamily"/>.
/// </remarks>
internal sealed class OpenAICompatibleDialect
{
    public required string ProviderName { get; init; }

    /// <summary>Gets whether to send <c>stream_options.include_usage</c> so usage arrives in streams (some servers reject the field).</summary>
    public bool IncludeUsageInStream { get; init; } = true;

    /// <summary>Gets the family for models no entry of <see cref="Families"/> matches.</summary>
    public ModelFamily DefaultFamily { get; init; } = TemplateKwargsFamily;

    /// <summary>Gets the model families checked in order before <see cref="DefaultFamily"/>.</summary>
    public IReadOnlyList<ModelFamily> Families { get; init; } = [];

    /// <summary>Gets a resolver that replaces the <see cref="Families"/> lookup, for providers whose traits combine per model (Qwen).</summary>
    public Func<string?, ModelFamily>? FamilyResolver { get; init; }

    /// <summary>Gets request fields the provider does not accept; when a typed <c>ChatOptions</c> property would produce one, it is dropped with a warning.</summary>
    public IReadOnlyList<string> UnsupportedFields { get; init; } = [];

    /// <summary>Gets a top-level boolean field which, when <see langword="true"/> in the final request, makes history echo every turn's reasoning (Qwen <c>preserve_thinking</c>).</summary>
    public string? PreserveThinkingField { get; init; }

    /// <summary>
    /// Gets a value indicating whether the server always returns reasoning in a field of its own (the hosted APIs), so inline text is
    /// never read as the tail of a think block that a chat template opened in the prompt.
    /// </summary>
    public bool ReasoningAlwaysSeparated { get; init; }

    /// <summary>
    /// Gets a value indicating whether <c>tool_choice</c> accepts a named function object. Where it does not (llama.cpp treats the
    /// object as <c>"auto"</c>), <c>RequireSpecific</c> is sent as <c>"required"</c> with only that tool offered.
    /// </summary>
    public bool AcceptsNamedToolChoice { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether content parts may carry explicit prompt-cache breakpoints (<c>cache_control</c>), set with
    /// <see cref="PromptCacheBreakpoint"/>; elsewhere the marks are not sent.
    /// </summary>
    public bool AcceptsCacheControl { get; init; }

    /// <summary>Gets the hint appended to authentication errors (Model Studio keys work only in their own region).</summary>
    public string? AuthenticationHint { get; init; }

    /// <summary>The Qwen3-style default for template-driven servers: <c>chat_template_kwargs.enable_thinking</c>, reasoning echoed as <c>reasoning_content</c>.</summary>
    public static ModelFamily TemplateKwargsFamily { get; } = new() { Name = "chat-template" };

    public static OpenAICompatibleDialect LlamaCpp { get; } = CreateLlamaCpp(includeUsageInStream: true);

    public static OpenAICompatibleDialect Generic { get; } = new()
    {
        ProviderName = ProviderNames.OpenAICompatible,
        Families = TemplateFamilies(TemplateKwargsFamily),
    };

    public ModelFamily ResolveFamily(string? modelId)
    {
        if (FamilyResolver is not null)
        {
            return FamilyResolver(modelId);
        }

        foreach (var family in Families)
        {
            if (family.Matches(modelId))
            {
                return family;
            }
        }

        return DefaultFamily;
    }

    public static OpenAICompatibleDialect CreateLlamaCpp(bool includeUsageInStream)
    {
        // reasoning_effort "none" switches thinking off in llama-server itself, whichever kwarg the chat template reads: a DeepSeek-R1
        // distill template, which opens <think> in the prompt, ignores chat_template_kwargs.thinking but closes the block for it
        // (https://github.com/ggml-org/llama.cpp/tree/master/tools/server#post-v1chatcompletions-openai-compatible-chat-completions-api).
        var family = TemplateKwargsFamily with { ThinkingBudgetField = "thinking_budget_tokens", ThinkingOffEffort = "none" };
        return new()
        {
            ProviderName = ProviderNames.LlamaCpp,
            IncludeUsageInStream = includeUsageInStream,
            AcceptsNamedToolChoice = false,
            DefaultFamily = family,
            Families = TemplateFamilies(family),
        };
    }

    /// <summary>
    /// Families every template-driven server shares: DeepSeek-V3.x and Granite chat templates read the <c>thinking</c> kwarg,
    /// not <c>enable_thinking</c> (their chat templates test <c>thinking</c>). Unused kwargs are ignored by Jinja, so a wrong guess costs nothing.
    /// </summary>
    public static IReadOnlyList<ModelFamily> TemplateFamilies(ModelFamily baseFamily) =>
    [
        baseFamily with { Name = "deepseek-template", Models = ["*deepseek*", "*granite*"], ReasoningSwitch = ReasoningSwitch.ChatTemplateKwargsThinking },
    ];
}
