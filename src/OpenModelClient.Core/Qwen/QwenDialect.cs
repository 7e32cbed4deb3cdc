using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>Model Studio's OpenAI-compatible mode as data for the engine (https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope); per-model traits combine from the option lists.</summary>
internal static class QwenDialect
{
    private const int MaxCachedModels = 256;

    // Qwen3.5 and later hybrid models think (and bill for it) when enable_thinking is not sent; the commercial Qwen3 models
    // (qwen3-max, qwen3-vl-*, qwen3-omni-*) and the qwen-plus/-flash aliases do not. https://www.alibabacloud.com/help/en/model-studio/deep-thinking
    private static readonly string[] HybridsThinkingByDefault = ["qwen3.5-*", "qwen3.6-*", "qwen3.7-*", "qwen3.8-*"];

    /// <summary>Hybrid-thinking models: top-level <c>enable_thinking</c> and <c>thinking_budget</c>; reasoning back only within the tool-call turn.</summary>
    public static ModelFamily Base { get; } = new()
    {
        Name = "qwen",
        ReasoningSwitch = QwenReasoningSwitch.Instance,
        ThinkingBudgetField = "thinking_budget",
        ReasoningHistory = ReasoningHistory.EchoInToolCallTurn,
        SupportsJsonSchema = false,
    };

    public static OpenAICompatibleDialect Create(QwenChatClientOptions options, Uri apiBase)
    {
        var streamOnly = Snapshot(options.StreamOnlyThinkingModels);
        var preserved = Snapshot(options.PreservedThinkingModels);
        var jsonSchema = Snapshot(options.JsonSchemaModels);
        var extras = new JsonObject();
        if (options.EnableSearch is { } search)
        {
            extras["enable_search"] = search;
        }

        if (options.VlHighResolutionImages is { } highResolution)
        {
            extras["vl_high_resolution_images"] = highResolution;
        }

        bool preserveThinking = options.PreserveThinking;
        var cache = new ConcurrentDictionary<string, ModelFamily>(StringComparer.Ordinal);
        ModelFamily Resolve(string? model)
        {
            string id = model ?? string.Empty;
            if (cache.TryGetValue(id, out var known))
            {
                return known;
            }

            var family = Build(id);
            if (cache.Count < MaxCachedModels)
            {
                cache.TryAdd(id, family);
            }

            return family;
        }

        ModelFamily Build(string id)
        {
            bool thinksOnlyStreamed = ModelPattern.MatchesAny(streamOnly, id);
            bool preserve = preserveThinking && ModelPattern.MatchesAny(preserved, id);
            var fields = (JsonObject)extras.DeepClone();
            if (preserve)
            {
                fields["preserve_thinking"] = true;
            }

            return Base with
            {
                Name = thinksOnlyStreamed ? "qwen3-open-source" : preserve ? "qwen-preserved-thinking" : Base.Name,
                Models = [id],
                ThinkingRequiresStreaming = thinksOnlyStreamed,
                ThinksByDefault = thinksOnlyStreamed || ModelPattern.MatchesAny(HybridsThinkingByDefault, id),
                SupportsJsonSchema = ModelPattern.MatchesAny(jsonSchema, id),
                ExtraFields = fields.Count > 0 ? fields : null,
            };
        }

        return new OpenAICompatibleDialect
        {
            ProviderName = ProviderNames.Qwen,
            DefaultFamily = Base,
            FamilyResolver = Resolve,
            PreserveThinkingField = "preserve_thinking",
            ReasoningAlwaysSeparated = true,
            AcceptsCacheControl = true,

            // Not among Model Studio's accepted parameters (the Vercel AI SDK's Alibaba provider warns and drops it too).
            UnsupportedFields = ["frequency_penalty"],
            AuthenticationHint = $"Model Studio API keys work only in the region and plan they were created for; this client calls {apiBase}",
        };
    }

    private static string[] Snapshot(IList<string>? patterns) =>
        patterns is null ? [] : [.. patterns.Where(p => !string.IsNullOrWhiteSpace(p))];
}
