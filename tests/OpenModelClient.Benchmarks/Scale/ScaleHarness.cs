using System.Globalization;

namespace OpenModelClient.Benchmarks;

/// <summary>The scale figures that are not per-operation timings (run with <c>-- --scale</c>): prefix-cache share with and without
/// affinity on a modelled fleet, and embedding throughput against a modelled server's ceiling.</summary>
internal static class ScaleHarness
{
    public static async Task RunAsync(string? llamaServerFolder, bool streams, int streamCount = 1000)
    {
        if (streams)
        {
            Console.WriteLine($"## {streamCount:N0} concurrent streams, 90 chunks each at 30 chunks/s (replay server in its own process), median of 3 rounds; load average before: {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| Protocol | Client | CPU per chunk | Ratio to floor | Allocated per chunk | Heap per open stream | Delay p50 | Delay p99 | p50 / p99 added to the floor's | Chunks left out (in flight during the heap probe) | GC pauses per round (probe excluded) |");
            Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var streamResults = await ConcurrentStreamsRun.RunAsync(streamCount);
            foreach (var r in streamResults)
            {
                var floor = streamResults.First(f => f.Protocol == r.Protocol);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Protocol} | {r.Client} | {r.CpuMicrosecondsPerChunk:0.0} µs | x{r.CpuMicrosecondsPerChunk / floor.CpuMicrosecondsPerChunk:0.00} | {r.AllocatedBytesPerChunk:0} B | {r.HeapBytesPerOpenStream / 1024:0.0} KB | {r.DelayP50Microseconds:0} µs | {r.DelayP99Microseconds:0} µs | {r.DelayP50Microseconds - floor.DelayP50Microseconds:+0;-0} / {r.DelayP99Microseconds - floor.DelayP99Microseconds:+0;-0} µs | {r.ExcludedChunks / (double)r.Chunks:P1} | {r.GcPauseMilliseconds:0} ms |"));
            }

            Console.WriteLine();
            Console.WriteLine($"Load average after: {LoadAverage()}");
            return;
        }

        if (llamaServerFolder is not null)
        {
            Console.WriteLine("## Live: four llama-server replicas, 13 conversations x 5 turns, one configured client (later turns' input tokens served from cache)");
            Console.WriteLine();
            Console.WriteLine("| Strategy | Cached share | Input tokens | Cached tokens |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            foreach (var r in await LiveAffinityRun.RunAsync(llamaServerFolder))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Strategy} | {r.CachedShare:0.000} | {r.InputTokens} | {r.CachedTokens} |"));
            }

            Console.WriteLine();
        }

        Console.WriteLine("## Prefix-cache share of later turns' prompt tokens, modelled fleet (4 replicas, 16 conversations cached each, 64 conversations x 6 turns, 8 in flight)");
        Console.WriteLine();
        Console.WriteLine("| Strategy | Cached share | Ratio to round-robin | Spilled |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var results = AffinityModel.Run().ToList();
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Strategy} | {r.CachedShare:0.000} | x{r.CachedShare / results[0].CachedShare:0.00} | {r.SpilledShare:P1} |"));
        }

        Console.WriteLine();
        Console.WriteLine("## Embedding throughput, 100,000 inputs, modelled server (8 slots, 10 ms per request, 64 inputs per request)");
        Console.WriteLine();
        Console.WriteLine("| Run | Inputs/s | Ceiling (measured request time) | Share of ceiling | Nominal ceiling (10 ms) | Order kept |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        var runs = new List<EmbeddingThroughputModel.Result>();
        for (int i = 0; i < 5; i++)
        {
            var r = await EmbeddingThroughputModel.RunAsync();
            runs.Add(r);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {r.InputsPerSecond:0} | {r.Ceiling:0} | {r.InputsPerSecond / r.Ceiling:P1} | {r.NominalCeiling:0} | {r.OrderKept} |"));
        }

        var median = runs.OrderBy(r => r.InputsPerSecond).ElementAt(runs.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| median | {median.InputsPerSecond:0} | {median.Ceiling:0} | {median.InputsPerSecond / median.Ceiling:P1} | {median.NominalCeiling:0} | {runs.All(r => r.OrderKept)} |"));
    }

    /// <summary>The configured client's cost per stream size and its time to first update, each against the floor measured in the same run.</summary>
    public static async Task RunCostAsync(Uri loopback)
    {
        Console.WriteLine($"## Streaming cost, bytes from memory, median time per stream (ratio to the floor) and bytes allocated per chunk; load average before: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| Protocol | Chunks | Floor | Bare provider client | Configured | Reference client | Configured / reference | B/chunk: floor / bare / configured / reference |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var streams = await StreamCostRun.RunStreamsAsync();
        foreach (var group in streams.GroupBy(r => (r.Protocol, r.Chunks)).OrderBy(g => g.Key.Protocol == "SSE" ? 0 : 1).ThenBy(g => g.Key.Chunks))
        {
            var r = group.ToArray(); // floor, bare, configured, reference
            double floor = r[0].MedianMicroseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Protocol} | {group.Key.Chunks:N0} | {floor / 1000:0.000} ms | x{r[1].MedianMicroseconds / floor:0.00} | **x{r[2].MedianMicroseconds / floor:0.00}** | x{r[3].MedianMicroseconds / floor:0.00} ({r[3].Client}) | {r[2].MedianMicroseconds / r[3].MedianMicroseconds:0.00} | {r[0].AllocatedBytesPerChunk:0} / {r[1].AllocatedBytesPerChunk:0} / **{r[2].AllocatedBytesPerChunk:0}** / {r[3].AllocatedBytesPerChunk:0} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"## Time to first update, median of 301, each stream read to its end (difference to the floor; allocated until the first text); load average before: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| Protocol | Transport | Floor | Bare provider client | Configured | Reference client | Allocated: floor / bare / configured / reference |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        var first = await StreamCostRun.RunFirstUpdateAsync(loopback);
        foreach (var group in first.GroupBy(r => (r.Transport, r.Protocol)))
        {
            var r = group.ToArray();
            double floor = r[0].MedianMicroseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Protocol} | {group.Key.Transport} | {floor:0.0} µs | {r[1].MedianMicroseconds - floor:+0.0;-0.0} µs | **{r[2].MedianMicroseconds - floor:+0.0;-0.0} µs** | {r[3].MedianMicroseconds - floor:+0.0;-0.0} µs ({r[3].Client}) | {r[0].AllocatedBytesPerChunk / 1024:0.0} / {r[1].AllocatedBytesPerChunk / 1024:0.0} / **{r[2].AllocatedBytesPerChunk / 1024:0.0}** / {r[3].AllocatedBytesPerChunk / 1024:0.0} KB |"));
        }

        Console.WriteLine();
        Console.WriteLine($"Load average after: {LoadAverage()}");
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to print beside every figure on a shared machine.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
