using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The metrics Microsoft.Extensions.AI's OpenTelemetry client lacks: server-reported load/prefill/decode time, output rate, retries, failovers.</summary>
/// <remarks>The OpenTelemetry GenAI conventions' name where one exists (<c>gen_ai.server.time_per_output_token</c>), the library's own
/// <c>openmodel.*</c> namespace where none does (<c>gen_ai.*</c> is reserved for the conventions); tagged with <c>gen_ai.provider.name</c>,
/// <c>gen_ai.response.model</c>, <c>server.address</c>, <c>server.port</c>.</remarks>
internal static class OpenModelMetrics
{
    private static readonly Meter Meter = new(OpenModelTelemetry.SourceName);

    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68];

    public static readonly Histogram<double> ModelLoadDuration = Meter.CreateHistogram<double>(
        "openmodel.server.model_load.duration", "s", "Time the server reported spending loading the model for a request.", tags: null, advice: new() { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<double> PrefillDuration = Meter.CreateHistogram<double>(
        "openmodel.server.prefill.duration", "s", "Time the server reported spending evaluating the prompt.", tags: null, advice: new() { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<double> DecodeDuration = Meter.CreateHistogram<double>(
        "openmodel.server.decode.duration", "s", "Time the server reported spending generating output tokens.", tags: null, advice: new() { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<double> TimePerOutputToken = Meter.CreateHistogram<double>(
        "gen_ai.server.time_per_output_token", "s", "Server-reported decode time divided by output tokens.");

    public static readonly Histogram<double> OutputTokenRate = Meter.CreateHistogram<double>(
        "openmodel.server.output_token.rate", "{token}/s", "Output tokens per second as the server measured them.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "openmodel.client.retries", "{retry}", "HTTP retries made before any output arrived.");

    public static readonly Counter<long> Failovers = Meter.CreateCounter<long>(
        "openmodel.client.failovers", "{failover}", "Calls switched to the next client of a failover chain.");

    /// <summary>Gets a value indicating whether anything listens to the metrics <see cref="RecordUsage"/> records.</summary>
    public static bool RecordsUsage =>
        ModelLoadDuration.Enabled || PrefillDuration.Enabled || DecodeDuration.Enabled || TimePerOutputToken.Enabled || OutputTokenRate.Enabled;

    public static void RecordRetry(string provider, Uri? uri)
    {
        if (Retries.Enabled)
        {
            var tags = new TagList { { "gen_ai.provider.name", provider } };
            if (uri is not null)
            {
                tags.Add("server.address", uri.Host);
                tags.Add("server.port", uri.Port);
            }

            Retries.Add(1, tags);
        }
    }

    public static void RecordFailover(string? fromProvider, string? toProvider)
    {
        if (Failovers.Enabled)
        {
            Failovers.Add(1, new TagList { { "gen_ai.provider.name", fromProvider }, { "openmodel.failover.to", toProvider } });
        }
    }

    public static void RecordUsage(ChatClientMetadata? metadata, string? responseModel, UsageDetails? usage)
    {
        if (usage?.AdditionalCounts is not { Count: > 0 } counts)
        {
            return;
        }

        var tags = new TagList();
        if (metadata?.ProviderName is { } provider)
        {
            tags.Add("gen_ai.provider.name", provider);
        }

        if ((responseModel ?? metadata?.DefaultModelId) is { } model)
        {
            tags.Add("gen_ai.response.model", model);
        }

        if (metadata?.ProviderUri is { } uri)
        {
            tags.Add("server.address", uri.Host);
            tags.Add("server.port", uri.Port);
        }

        Record(ModelLoadDuration, counts, UsageCountKeys.LoadDurationNs, tags);
        Record(PrefillDuration, counts, UsageCountKeys.PromptEvalDurationNs, tags);
        Record(DecodeDuration, counts, UsageCountKeys.EvalDurationNs, tags);
        if (counts.TryGetValue(UsageCountKeys.EvalDurationNs, out long decodeNs) && usage.OutputTokenCount is > 0 and { } outputTokens)
        {
            TimePerOutputToken.Record(decodeNs / 1e9 / outputTokens, tags);
        }

        if (counts.TryGetValue(UsageCountKeys.OutputTokensPerSecond, out long rate))
        {
            OutputTokenRate.Record(rate, tags);
        }
    }

    private static void Record(Histogram<double> histogram, AdditionalPropertiesDictionary<long> counts, string key, in TagList tags)
    {
        if (counts.TryGetValue(key, out long nanoseconds))
        {
            histogram.Record(nanoseconds / 1e9, tags);
        }
    }
}
