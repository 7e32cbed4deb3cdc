using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OllamaSharp;
using OpenAI;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// The configured client (what <c>AddOpenModelChatClient</c> registers, telemetry on) against the floor, the bare provider client and
/// the reference client (<c>Microsoft.Extensions.AI.OpenAI</c> for SSE, OllamaSharp for NDJSON) at 1,000, 10,000 and 100,000 chunks,
/// bytes served from memory (<see cref="InMemoryReplayHandler"/>), so the time is the client's own work: median time per stream and
/// bytes allocated per chunk, contenders interleaved round after round. Then time to first update, in memory and over loopback.
/// Every contender is checked to receive everything before it is measured.
/// </summary>
internal static class StreamCostRun
{
    public static readonly int[] ChunkCounts = [1_000, 10_000, 100_000];

    public sealed record Result(string Protocol, string Transport, int Chunks, string Client, double MedianMicroseconds, double AllocatedBytesPerChunk);

    private sealed record Contender(string Protocol, string Client, Func<Received?, Task<int>> Run, FirstMark? First = null);

    /// <summary>When, and after how many allocated bytes, the first text of a stream reached the caller.</summary>
    private sealed class FirstMark
    {
        public long Timestamp { get; private set; }

        public long Allocated { get; private set; }

        public bool Seen { get; private set; }

        public void Reset() => Seen = false;

        public void Hit()
        {
            if (!Seen)
            {
                Timestamp = Stopwatch.GetTimestamp();
                Allocated = GC.GetTotalAllocatedBytes(precise: true);
                Seen = true;
            }
        }
    }

    public static async Task<List<Result>> RunStreamsAsync()
    {
        var root = InMemoryReplayHandler.BaseAddress;
        using var http = new HttpClient(new InMemoryReplayHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        await using var configured = Configured(
            [.. ChunkCounts.Select(n => ("LlamaCpp", BenchmarkPayloads.TextScenario(n))), .. ChunkCounts.Select(n => ("Ollama", BenchmarkPayloads.OllamaScenario(n)))],
            root, inMemory: true);
        var results = new List<Result>();
        foreach (int chunks in ChunkCounts)
        {
            var sse = BenchmarkPayloads.TextScenario(chunks);
            var ndjson = BenchmarkPayloads.OllamaScenario(chunks);
            var floor = new FloorClient(http, root);
            using var ollamaSharpHttp = new HttpClient(new InMemoryReplayHandler()) { BaseAddress = new Uri(root, ndjson + "/"), Timeout = Timeout.InfiniteTimeSpan };
            using var meai = OpenAI(http, root, sse);
            using var ollamaSharp = new OllamaApiClient(ollamaSharpHttp, BenchmarkPayloads.Model);
            using var llamaCpp = new LlamaCppChatClient(new Uri(root, sse + "/"), BenchmarkPayloads.Model, http);
            using var ollama = new OllamaChatClient(new Uri(root, ndjson + "/"), BenchmarkPayloads.Model, http);
            Contender[] contenders =
            [
                new("SSE", "Floor", r => floor.StreamSseAsync(sse, r)),
                new("SSE", "LlamaCppChatClient (bare)", r => Received.DrainAsync(llamaCpp.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
                new("SSE", "Configured", r => Received.DrainAsync(configured.GetRequiredKeyedService<IChatClient>(sse).GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
                new("SSE", "Microsoft.Extensions.AI.OpenAI", r => Received.DrainAsync(meai.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
                new("NDJSON", "Floor", r => floor.StreamNdjsonAsync(ndjson, r)),
                new("NDJSON", "OllamaChatClient (bare)", r => Received.DrainAsync(ollama.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
                new("NDJSON", "Configured", r => Received.DrainAsync(configured.GetRequiredKeyedService<IChatClient>(ndjson).GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
                new("NDJSON", "OllamaSharp", r => Received.DrainAsync(((IChatClient)ollamaSharp).GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ];

            await ValidateAsync(contenders, protocol => BenchmarkPayloads.Get(protocol == "SSE" ? sse : ndjson)!);
            int rounds = chunks switch { 1_000 => 61, 10_000 => 21, _ => 7 };
            results.AddRange(await MeasureAsync(contenders, rounds, "memory", chunks));
        }

        return results;
    }

    public static async Task<List<Result>> RunFirstUpdateAsync(Uri loopback)
    {
        var results = new List<Result>();
        foreach (var (transport, root, handler) in new (string, Uri, Func<HttpMessageHandler>)[]
        {
            ("memory", InMemoryReplayHandler.BaseAddress, () => new InMemoryReplayHandler()),
            ("loopback", loopback, () => new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }),
        })
        {
            string sse = BenchmarkPayloads.FirstUpdate, ndjson = BenchmarkPayloads.OllamaFirstUpdate;
            using var http = new HttpClient(handler()) { Timeout = Timeout.InfiniteTimeSpan };
            using var ollamaSharpHttp = new HttpClient(handler()) { BaseAddress = new Uri(root, ndjson + "/"), Timeout = Timeout.InfiniteTimeSpan };
            await using var configured = Configured([("LlamaCpp", sse), ("Ollama", ndjson)], root, inMemory: transport == "memory");
            var floor = new FloorClient(http, root);
            using var meai = OpenAI(http, root, sse);
            using var ollamaSharp = new OllamaApiClient(ollamaSharpHttp, BenchmarkPayloads.Model);
            using var llamaCpp = new LlamaCppChatClient(new Uri(root, sse + "/"), BenchmarkPayloads.Model, http);
            using var ollama = new OllamaChatClient(new Uri(root, ndjson + "/"), BenchmarkPayloads.Model, http);
            // Each stream is read to its end, as a caller does, and only the time to its first text counts: abandoning the stream
            // instead would measure the connection it costs (the configured client closes an abandoned response's connection).
            FirstMark[] marks = [.. Enumerable.Range(0, 8).Select(_ => new FirstMark())];
            Contender[] contenders =
            [
                new("SSE", "Floor", r => floor.StreamTextAsync(sse, ndjson: false, text => { marks[0].Hit(); r?.Text.Append(text); }), marks[0]),
                new("SSE", "LlamaCppChatClient (bare)", r => FirstAsync(llamaCpp, r, marks[1]), marks[1]),
                new("SSE", "Configured", r => FirstAsync(configured.GetRequiredKeyedService<IChatClient>(sse), r, marks[2]), marks[2]),
                new("SSE", "Microsoft.Extensions.AI.OpenAI", r => FirstAsync(meai, r, marks[3]), marks[3]),
                new("NDJSON", "Floor", r => floor.StreamTextAsync(ndjson, ndjson: true, text => { marks[4].Hit(); r?.Text.Append(text); }), marks[4]),
                new("NDJSON", "OllamaChatClient (bare)", r => FirstAsync(ollama, r, marks[5]), marks[5]),
                new("NDJSON", "Configured", r => FirstAsync(configured.GetRequiredKeyedService<IChatClient>(ndjson), r, marks[6]), marks[6]),
                new("NDJSON", "OllamaSharp", r => FirstAsync(ollamaSharp, r, marks[7]), marks[7]),
            ];

            await ValidateAsync(contenders, protocol => BenchmarkPayloads.Get(protocol == "SSE" ? sse : ndjson)!);
            results.AddRange(await MeasureAsync(contenders, rounds: 301, transport, chunks: 1));
        }

        return results;
    }

    private static async Task ValidateAsync(Contender[] contenders, Func<string, Payload> payload)
    {
        foreach (var c in contenders)
        {
            var received = new Received($"{c.Protocol} {c.Client}");
            await c.Run(received);
            received.Verify(payload(c.Protocol));
        }
    }

    private static async Task<List<Result>> MeasureAsync(Contender[] contenders, int rounds, string transport, int chunks)
    {
        var times = contenders.Select(_ => new List<double>()).ToArray();
        var bytes = contenders.Select(_ => new List<double>()).ToArray();
        for (int warm = 0; warm < 3; warm++)
        {
            foreach (var c in contenders)
            {
                await c.Run(null);
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < contenders.Length; i++)
            {
                var first = contenders[i].First;
                first?.Reset();
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                long start = Stopwatch.GetTimestamp();
                await contenders[i].Run(null);
                long end = Stopwatch.GetTimestamp();
                long allocatedEnd = GC.GetTotalAllocatedBytes(precise: true);
                if (first is not null)
                {
                    (end, allocatedEnd) = first.Seen ? (first.Timestamp, first.Allocated) : throw new InvalidOperationException($"{contenders[i].Client}: no text");
                }

                times[i].Add(Stopwatch.GetElapsedTime(start, end).TotalMicroseconds);
                bytes[i].Add((allocatedEnd - allocated) / (double)chunks);
            }
        }

        static double Mid(List<double> values) => values.Order().ElementAt(values.Count / 2);
        return [.. contenders.Select((c, i) => new Result(c.Protocol, transport, chunks, c.Client, Mid(times[i]), Mid(bytes[i])))];
    }

    private static async Task<int> FirstAsync(IChatClient client, Received? received, FirstMark mark)
    {
        int seen = 0;
        await foreach (var update in client.GetStreamingResponseAsync(BenchmarkClients.Messages).ConfigureAwait(false))
        {
            if (Received.Count(update.Contents, received) is > 0 and var n)
            {
                mark.Hit();
                seen += n;
            }
        }

        return seen;
    }

    private static IChatClient OpenAI(HttpClient http, Uri root, string scenario) => new OpenAIClient(
        new ApiKeyCredential("bench"),
        new OpenAIClientOptions { Endpoint = new Uri(root, $"{scenario}/v1"), Transport = new HttpClientPipelineTransport(http) })
        .GetChatClient(BenchmarkPayloads.Model).AsIChatClient();

    /// <summary>One keyed configured client per scenario (key: the scenario), as <c>AddKeyedOpenModelChatClient</c> registers it with
    /// its defaults; in memory, only the primary handler is swapped for <see cref="InMemoryReplayHandler"/>.</summary>
    private static ServiceProvider Configured(IEnumerable<(string Provider, string Scenario)> clients, Uri root, bool inMemory)
    {
        var services = new ServiceCollection();
        foreach (var (provider, scenario) in clients)
        {
            services.AddKeyedOpenModelChatClient(scenario, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Provider"] = provider, ["Endpoint"] = new Uri(root, $"{scenario}/").ToString(), ["Model"] = BenchmarkPayloads.Model,
            }).Build());
            if (inMemory)
            {
                services.AddHttpClient($"OpenModelClient:keyed:{scenario}").ConfigurePrimaryHttpMessageHandler(() => new InMemoryReplayHandler());
            }
        }

        return services.BuildServiceProvider();
    }
}
