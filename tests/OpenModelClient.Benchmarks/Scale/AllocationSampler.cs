using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// Samples what a process allocates, by type, from the runtime's own allocation-tick events (one event about every 100 KB allocated,
/// naming the type of the object that crossed the mark): a cheap in-process allocation profile. Counts while <see cref="Enabled"/> is set.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    public bool Enabled { get; set; }

    /// <summary>Returns the sampled types with the largest shares, and resets the counts.</summary>
    public List<(string Type, double Share)> TakeTop(int count)
    {
        long total = _bytes.Values.Sum();
        var top = _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, total == 0 ? 0 : p.Value / (double)total)).ToList();
        _bytes.Clear();
        return top;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Enabled || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        int type = eventData.PayloadNames.IndexOf("TypeName");
        int amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (type >= 0 && amount >= 0 && eventData.Payload![type] is string name && eventData.Payload[amount] is ulong bytes)
        {
            _bytes.AddOrUpdate(name, (long)bytes, (_, b) => b + (long)bytes);
        }
    }
}
