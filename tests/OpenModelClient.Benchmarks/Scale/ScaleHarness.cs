using System.Globalization;

namespace OpenModelClient.Benchmarks;

/// <summary>The scale figures that are not per-operation timings (run with <c>-- --scale</c>): prefix-cache share with and without
/// affinity on a modelled fleet, and embedding throughput against a modelled server's ceiling.</summary>
internal static class ScaleHarness
{
    public static async Task RunAsync(string? llamaServerFolder, bool streams)
    {
        if (streams)
        {
            Console.WriteLine("## 1,000 concurrent streams, 90 chunks each at 30 chunks/s (replay server in its own process), median of 3 rounds");
            Console.WriteLine();
            Console.WriteLine("| Client | CPU per chunk | Ratio to floor | Allocated per chunk | Heap per open stream |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            var streamResults = await ConcurrentStreamsRun.RunAsync();
            foreach (var r in streamResults)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Client} | {r.CpuMicrosecondsPerChunk:0.0} µs | x{r.CpuMicrosecondsPerChunk / streamResults[0].CpuMicrosecondsPerChunk:0.00} | {r.AllocatedBytesPerChunk:0} B | {r.HeapBytesPerOpenStream / 1024:0.0} KB |"));
            }

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
}
