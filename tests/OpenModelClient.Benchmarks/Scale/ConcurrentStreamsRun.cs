using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.Benchmarks;

/// <summary>1,000 streams at once, each paced by the replay server (its own process) at 30 chunks a second, OpenAI-style SSE and
/// Ollama NDJSON: the client process's CPU time per chunk, bytes allocated per chunk, managed heap per open stream, and the delay of
/// every chunk from the server's send (stamped into the chunk's text) to the moment the client's caller holds it; client after
/// client, interleaved over rounds.</summary>
internal static class ConcurrentStreamsRun
{
    public sealed record Result(
        string Protocol, string Client, double CpuMicrosecondsPerChunk, double AllocatedBytesPerChunk, double HeapBytesPerOpenStream,
        double DelayP50Microseconds, double DelayP99Microseconds, long Chunks, long ExcludedChunks, double GcPauseMilliseconds);

    public static async Task<List<Result>> RunAsync(int streams = 1000, int chunks = 90, int rounds = 3)
    {
        string sse = "paced-" + BenchmarkPayloads.StampedScenario(chunks, ndjson: false);
        string ndjson = "paced-" + BenchmarkPayloads.StampedScenario(chunks, ndjson: true);
        using var clients = new BenchmarkClients();
        var services = new ServiceCollection();
        services.AddKeyedOpenModelChatClient("sse", Section("LlamaCpp", new Uri(clients.Server, sse + "/")));
        services.AddKeyedOpenModelChatClient("ndjson", Section("Ollama", new Uri(clients.Server, ndjson + "/")));

        // The same, with no idle or total limit: the body watchdog then reads through without a timer per read, which shows what
        // those timers cost when every chunk arrives in a read of its own.
        services.AddKeyedOpenModelChatClient("sse-untimed", Section("LlamaCpp", new Uri(clients.Server, sse + "/"), untimed: true));
        services.AddKeyedOpenModelChatClient("ndjson-untimed", Section("Ollama", new Uri(clients.Server, ndjson + "/"), untimed: true));
        await using var provider = services.BuildServiceProvider();

        var contenders = new (string Protocol, string Name, Func<StampSink, Task<int>> Stream)[]
        {
            ("SSE", "Floor (HttpClient + Utf8JsonReader)", s => clients.Floor.StreamTextAsync(sse, ndjson: false, s.Add)),
            ("SSE", "LlamaCppChatClient (bare)", Consume(clients.LlamaCpp(sse))),
            ("SSE", "Configured (AddOpenModelChatClient, telemetry on)", Consume(provider.GetRequiredKeyedService<IChatClient>("sse"))),
            ("SSE", "Configured, Timeouts:Idle and Total Infinite", Consume(provider.GetRequiredKeyedService<IChatClient>("sse-untimed"))),
            ("SSE", "Microsoft.Extensions.AI.OpenAI", Consume(clients.MeaiOpenAI(sse))),
            ("NDJSON", "Floor (HttpClient + Utf8JsonReader)", s => clients.Floor.StreamTextAsync(ndjson, ndjson: true, s.Add)),
            ("NDJSON", "OllamaChatClient (bare)", Consume(clients.Ollama(ndjson))),
            ("NDJSON", "Configured (AddOpenModelChatClient, telemetry on)", Consume(provider.GetRequiredKeyedService<IChatClient>("ndjson"))),
            ("NDJSON", "Configured, Timeouts:Idle and Total Infinite", Consume(provider.GetRequiredKeyedService<IChatClient>("ndjson-untimed"))),
            ("NDJSON", "OllamaSharp", Consume(clients.OllamaSharp(ndjson))),
        };

        // Warm-up (JIT, connections): every client must yield every chunk as one text update, on every stream.
        foreach (var (protocol, name, stream) in contenders)
        {
            var sinks = Enumerable.Range(0, 20).Select(_ => new StampSink(chunks)).ToArray();
            int[] warm = await Task.WhenAll(sinks.Select(stream));
            if (warm.Any(w => w != chunks))
            {
                throw new InvalidOperationException($"{protocol} {name}: a warm-up stream yielded {warm.First(w => w != chunks)} text updates, not {chunks}");
            }
        }

        // OPENMODELCLIENT_BENCH_ALLOC_PROFILE=1: after the rounds, one more round per client with allocations sampled by type.
        if (Environment.GetEnvironmentVariable("OPENMODELCLIENT_BENCH_ALLOC_PROFILE") == "1")
        {
            using var sampler = new AllocationSampler();
            foreach (var (protocol, name, stream) in contenders)
            {
                sampler.TakeTop(0);
                sampler.Enabled = true;
                await MeasureAsync(protocol, name, stream, streams, chunks);
                sampler.Enabled = false;
                Console.WriteLine($"{protocol} {name}: " + string.Join(", ", sampler.TakeTop(12).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Type} {t.Share:P0}"))));
            }

            Console.WriteLine();
        }

        var samples = contenders.ToDictionary(c => (c.Protocol, c.Name), _ => new List<Result>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (protocol, name, stream) in contenders)
            {
                samples[(protocol, name)].Add(await MeasureAsync(protocol, name, stream, streams, chunks));
            }
        }

        return [.. contenders.Select(c => Median(samples[(c.Protocol, c.Name)]))];
    }

    private static IConfiguration Section(string provider, Uri endpoint, bool untimed = false)
    {
        var settings = new Dictionary<string, string?> { ["Provider"] = provider, ["Endpoint"] = endpoint.ToString(), ["Model"] = BenchmarkPayloads.Model };
        if (untimed)
        {
            settings["Timeouts:Idle"] = "Infinite";
            settings["Timeouts:Total"] = "Infinite";
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static Func<StampSink, Task<int>> Consume(IChatClient client) => async sink =>
    {
        await foreach (var update in client.GetStreamingResponseAsync(BenchmarkClients.Messages))
        {
            if (update.Text is { Length: > 0 } text)
            {
                sink.Add(text);
            }
        }

        return sink.Count;
    };

    private static async Task<Result> MeasureAsync(string protocol, string name, Func<StampSink, Task<int>> stream, int streams, int chunks)
    {
        var sinks = Enumerable.Range(0, streams).Select(_ => new StampSink(chunks)).ToArray();
        using var process = Process.GetCurrentProcess();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = process.TotalProcessorTime;
        var gcPauseBefore = GC.GetTotalPauseDuration();

        var running = sinks.Select(sink => Task.Run(() => stream(sink))).ToList();

        // Half-way through (the streams last chunks/30 s), every stream is open: what the heap holds then, per stream.
        await Task.Delay(TimeSpan.FromSeconds(chunks / 30.0 / 2));
        long pauseStart = Stopwatch.GetTimestamp();
        var probePauseBefore = GC.GetTotalPauseDuration();
        long heapOpen = GC.GetTotalMemory(forceFullCollection: true);
        var probePause = GC.GetTotalPauseDuration() - probePauseBefore;
        long pauseEnd = Stopwatch.GetTimestamp();
        int[] seen = await Task.WhenAll(running);

        var gcPause = GC.GetTotalPauseDuration() - gcPauseBefore - probePause;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long total = (long)streams * chunks;
        if (seen.Any(s => s != chunks))
        {
            throw new InvalidOperationException($"{protocol} {name}: a stream yielded {seen.First(s => s != chunks)} text updates where a whole one yields {chunks}");
        }

        // The forced full collections of the heap probe stop every thread (GetTotalMemory collects until the heap is stable): the
        // chunks in flight while it ran are delayed by the measurement itself and are left out of the delays.
        long[] delays = [.. sinks.SelectMany(s => s.Delays(pauseStart, pauseEnd))];
        Array.Sort(delays);
        double Micro(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        return new Result(
            protocol, name, cpu.TotalMilliseconds * 1000 / total, allocated / (double)total, (heapOpen - heapBefore) / (double)streams,
            Micro(delays[delays.Length / 2]), Micro(delays[(int)(delays.Length * 0.99)]), total, total - delays.Length, gcPause.TotalMilliseconds);
    }

    private static Result Median(List<Result> results)
    {
        static double Mid(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
        return results[0] with
        {
            CpuMicrosecondsPerChunk = Mid(results.Select(r => r.CpuMicrosecondsPerChunk)),
            AllocatedBytesPerChunk = Mid(results.Select(r => r.AllocatedBytesPerChunk)),
            HeapBytesPerOpenStream = Mid(results.Select(r => r.HeapBytesPerOpenStream)),
            DelayP50Microseconds = Mid(results.Select(r => r.DelayP50Microseconds)),
            DelayP99Microseconds = Mid(results.Select(r => r.DelayP99Microseconds)),
            ExcludedChunks = (long)Mid(results.Select(r => (double)r.ExcludedChunks)),
            GcPauseMilliseconds = Mid(results.Select(r => r.GcPauseMilliseconds)),
        };
    }

    /// <summary>One stream's chunks: the send time the server wrote into each one's text, and the time of its arrival at the caller.</summary>
    internal sealed class StampSink(int chunks)
    {
        private readonly long[] _sent = new long[chunks];
        private readonly long[] _received = new long[chunks];

        public int Count { get; private set; }

        /// <summary>The delays of the chunks that were not in flight between <paramref name="pauseStart"/> and <paramref name="pauseEnd"/>.</summary>
        public IEnumerable<long> Delays(long pauseStart, long pauseEnd)
        {
            for (int i = 0; i < Count; i++)
            {
                if (_sent[i] > pauseEnd || _received[i] < pauseStart)
                {
                    yield return _received[i] - _sent[i];
                }
            }
        }

        public void Add(string text)
        {
            long now = Stopwatch.GetTimestamp();
            if (text.Length != BenchmarkPayloads.StampLength || Count == _sent.Length)
            {
                throw new InvalidOperationException($"Expected one {BenchmarkPayloads.StampLength}-digit send stamp per update, got '{text}' (update {Count + 1}).");
            }

            _sent[Count] = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            _received[Count++] = now;
        }
    }
}
