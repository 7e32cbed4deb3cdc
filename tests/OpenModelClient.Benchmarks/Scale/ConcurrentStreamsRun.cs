using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.Benchmarks;

/// <summary>1,000 streams at once, each paced by the replay server (its own process) at 30 chunks a second: the client process's
/// CPU time per chunk, bytes allocated per chunk, and managed heap per open stream, client after client, interleaved over rounds.</summary>
internal static class ConcurrentStreamsRun
{
    public sealed record Result(string Client, double CpuMicrosecondsPerChunk, double AllocatedBytesPerChunk, double HeapBytesPerOpenStream, long Chunks);

    public static async Task<List<Result>> RunAsync(int streams = 1000, int chunks = 90, int rounds = 3)
    {
        string scenario = "paced-" + BenchmarkPayloads.TextScenario(chunks);
        using var clients = new BenchmarkClients();
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = new Uri(clients.Server, scenario + "/").ToString(),
        }).Build().GetSection("OpenModel"));
        await using var provider = services.BuildServiceProvider();

        var contenders = new (string Name, Func<Task<int>> Stream)[]
        {
            ("Floor (HttpClient + Utf8JsonReader)", () => clients.Floor.StreamSseAsync(scenario, null)),
            ("LlamaCppChatClient (bare)", Consume(clients.LlamaCpp(scenario))),
            ("Configured (AddOpenModelChatClient, telemetry on)", Consume(provider.GetRequiredService<IChatClient>())),
            ("Microsoft.Extensions.AI.OpenAI", Consume(clients.MeaiOpenAI(scenario))),
        };

        // Warm-up (JIT, connections), and what a whole stream yields to each client (the floor counts characters, the others text
        // updates): every measured stream must yield the same, so none is flattered by a stream cut short.
        var expected = new Dictionary<string, int>();
        foreach (var (name, stream) in contenders)
        {
            int[] warm = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => stream()));
            expected[name] = warm[0];
            if (warm.Any(w => w != warm[0]) || warm[0] == 0)
            {
                throw new InvalidOperationException($"{name}: warm-up streams differ or are empty");
            }
        }

        var samples = contenders.ToDictionary(c => c.Name, _ => new List<Result>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, stream) in contenders)
            {
                samples[name].Add(await MeasureAsync(name, stream, streams, chunks, expected[name]));
            }
        }

        return [.. contenders.Select(c => Median(samples[c.Name]))];
    }

    private static Func<Task<int>> Consume(IChatClient client) => async () =>
    {
        int n = 0;
        await foreach (var update in client.GetStreamingResponseAsync(BenchmarkClients.Messages))
        {
            if (update.Text.Length > 0)
            {
                n++;
            }
        }

        return n;
    };

    private static async Task<Result> MeasureAsync(string name, Func<Task<int>> stream, int streams, int chunks, int expected)
    {
        using var process = Process.GetCurrentProcess();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = process.TotalProcessorTime;

        var running = Enumerable.Range(0, streams).Select(_ => Task.Run(stream)).ToList();

        // Half-way through (the streams last chunks/30 s), every stream is open: what the heap holds then, per stream.
        await Task.Delay(TimeSpan.FromSeconds(chunks / 30.0 / 2));
        long heapOpen = GC.GetTotalMemory(forceFullCollection: true);
        int[] seen = await Task.WhenAll(running);

        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long total = (long)streams * chunks;
        if (seen.Any(s => s != expected))
        {
            throw new InvalidOperationException($"{name}: a stream yielded {seen.First(s => s != expected)} where a whole one yields {expected}");
        }

        return new Result(name, cpu.TotalMilliseconds * 1000 / total, allocated / (double)total, (heapOpen - heapBefore) / (double)streams, total);
    }

    private static Result Median(List<Result> results)
    {
        static double Mid(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
        return new Result(results[0].Client, Mid(results.Select(r => r.CpuMicrosecondsPerChunk)), Mid(results.Select(r => r.AllocatedBytesPerChunk)), Mid(results.Select(r => r.HeapBytesPerOpenStream)), results[0].Chunks);
    }
}
