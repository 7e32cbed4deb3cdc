using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Puts the prompt-cache writes a server reports on the chat span, beside the token counts the span already carries.</summary>
/// <remarks>
/// Microsoft.Extensions.AI's chat span reports <c>gen_ai.usage.cache_read.input_tokens</c> from <see cref="UsageDetails.CachedInputTokenCount"/>
/// (llama.cpp <c>cached_tokens</c> or <c>timings.cache_n</c>, vLLM <c>cached_tokens</c>, DeepSeek <c>prompt_cache_hit_tokens</c>, Model Studio
/// <c>cached_tokens</c>) but has no counterpart for tokens written to the cache. This adds <c>gen_ai.usage.cache_creation.input_tokens</c>
/// (https://opentelemetry.io/docs/specs/semconv/registry/attributes/gen-ai/) from
/// <see cref="UsageCountKeys.CacheCreationInputTokens"/> (Model Studio <c>prompt_tokens_details.cache_creation_input_tokens</c>), only on
/// this library's own span: the current activity when it comes from <see cref="OpenModelTelemetry.SourceName"/>.
/// </remarks>
internal static class CacheUsageSpanTags
{
    public const string CacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";

    /// <summary>Gets a value indicating whether a span of this library is being recorded on the current flow.</summary>
    public static bool IsRecording => Activity.Current is { IsAllDataRequested: true } activity && activity.Source.Name == OpenModelTelemetry.SourceName;

    public static void Add(UsageDetails? usage)
    {
        if (usage?.AdditionalCounts is { } counts && counts.TryGetValue(UsageCountKeys.CacheCreationInputTokens, out long written)
            && Activity.Current is { IsAllDataRequested: true } activity && activity.Source.Name == OpenModelTelemetry.SourceName)
        {
            activity.SetTag(CacheCreationInputTokens, written);
        }
    }
}
