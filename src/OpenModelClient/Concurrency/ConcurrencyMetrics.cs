using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenModelClient;

/// <summary>The client-side request queue of an endpoint with a concurrency limit: how many calls wait, and how long.</summary>
internal static class ConcurrencyMetrics
{
    private static readonly Meter Meter = new(OpenModelTelemetry.SourceName);

    public static readonly UpDownCounter<long> QueueLength = Meter.CreateUpDownCounter<long>(
        "openmodel.client.request.queue.length", "{request}", "Calls waiting for a free slot under the client's concurrency limit for an endpoint.");

    public static readonly Histogram<double> QueueDuration = Meter.CreateHistogram<double>(
        "openmodel.client.request.queue.duration", "s", "Time a call waited for a free slot under the client's concurrency limit (0 when one was free).",
        tags: null, advice: new() { HistogramBucketBoundaries = [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    public static TagList Tags(string provider, Uri? endpoint)
    {
        var tags = new TagList { { "gen_ai.provider.name", provider } };
        if (endpoint is not null)
        {
            tags.Add("server.address", endpoint.Host);
            tags.Add("server.port", endpoint.Port);
        }

        return tags;
    }
}
