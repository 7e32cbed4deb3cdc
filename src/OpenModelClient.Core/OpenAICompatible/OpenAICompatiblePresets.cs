namespace OpenModelClient;

/// <summary>The data behind each <see cref="OpenAICompatiblePreset"/>, and how options override it (default ports: vLLM 8000, SGLang 30000, LM Studio 1234, Ollama 11434).</summary>
internal static class OpenAICompatiblePresets
{
    public static Uri? DefaultEndpoint(OpenAICompatiblePreset preset) => preset switch
    {
        OpenAICompatiblePreset.Vllm => new Uri("http://localhost:8000/v1/"),
        OpenAICompatiblePreset.SGLang => new Uri("http://localhost:30000/v1/"),
        OpenAICompatiblePreset.LMStudio => new Uri("http://localhost:1234/v1/"),
        OpenAICompatiblePreset.Ollama => new Uri("http://localhost:11434/v1/"),
        _ => null,
    };

    /// <summary>Resolves the API base: the preset's default when none is given; for a named server, a bare root gains its <c>/v1</c>.</summary>
    public static Uri ResolveEndpoint(Uri? endpoint, OpenAICompatiblePreset preset)
    {
        if (endpoint is null)
        {
            return DefaultEndpoint(preset)
                ?? throw new ArgumentNullException(nameof(endpoint), "The endpoint is required for the Generic preset: pass the base that precedes /chat/completions, e.g. http://localhost:8000/v1, or choose a preset with a default address.");
        }

        var normalized = EndpointUtilities.WithTrailingSlash(endpoint);
        return preset != OpenAICompatiblePreset.Generic && normalized.AbsolutePath == "/" ? new Uri(normalized, "v1/") : normalized;
    }

    public static OpenAICompatibleDialect CreateDialect(OpenAICompatibleClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var preset = options.Preset;
        if (!Enum.IsDefined(preset))
        {
            throw new ArgumentException($"Unknown preset '{preset}'. Valid presets: {string.Join(", ", Enum.GetNames<OpenAICompatiblePreset>())}.", nameof(options));
        }

        var (name, reasoningSwitch, historyField) = preset switch
        {
            OpenAICompatiblePreset.Vllm => (ProviderNames.Vllm, ReasoningSwitch.ChatTemplateKwargs, "reasoning"),
            OpenAICompatiblePreset.SGLang => (ProviderNames.SGLang, ReasoningSwitch.ChatTemplateKwargs, "reasoning_content"),
            OpenAICompatiblePreset.LMStudio => (ProviderNames.LMStudio, ReasoningSwitch.None, "reasoning_content"),
            OpenAICompatiblePreset.Ollama => (ProviderNames.Ollama, ReasoningSwitch.ReasoningEffortLevels, "reasoning"),
            _ => (ProviderNames.OpenAICompatible, ReasoningSwitch.ChatTemplateKwargs, "reasoning_content"),
        };

        // SendReasoningEffort: null keeps the preset's switch; false sends nothing; true uses the preset's, or template kwargs where it has none.
        reasoningSwitch = options.SendReasoningEffort switch
        {
            false => ReasoningSwitch.None,
            true when reasoningSwitch == ReasoningSwitch.None => ReasoningSwitch.ChatTemplateKwargs,
            _ => reasoningSwitch,
        };

        var family = new ModelFamily
        {
            Name = preset.ToString().ToLowerInvariant(),
            ReasoningSwitch = reasoningSwitch,
            ThinkingBudgetField = string.IsNullOrWhiteSpace(options.ThinkingBudgetField) ? null : options.ThinkingBudgetField,
            ReasoningHistory = options.SendReasoningInHistory == false ? ReasoningHistory.Strip : ReasoningHistory.Echo,
            ReasoningHistoryField = string.IsNullOrWhiteSpace(options.ReasoningHistoryField) ? historyField : options.ReasoningHistoryField,
        };

        // Only template-kwargs servers distinguish DeepSeek/Granite templates; Ollama's reasoning_effort is model-agnostic.
        bool templateDriven = reasoningSwitch == ReasoningSwitch.ChatTemplateKwargs;
        return new OpenAICompatibleDialect
        {
            ProviderName = string.IsNullOrWhiteSpace(options.ProviderName) ? name : options.ProviderName,
            IncludeUsageInStream = options.IncludeUsageInStream ?? true,

            // LM Studio documents only the string forms of tool_choice, and Ollama's /v1 ignores tool_choice altogether.
            AcceptsNamedToolChoice = preset is not (OpenAICompatiblePreset.LMStudio or OpenAICompatiblePreset.Ollama),
            DefaultFamily = family,
            Families = templateDriven ? OpenAICompatibleDialect.TemplateFamilies(family) : [],
        };
    }
}
