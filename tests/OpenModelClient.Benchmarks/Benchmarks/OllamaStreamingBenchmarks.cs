using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>Ollama's native <c>/api/chat</c> NDJSON stream of text chunks.</summary>
[MemoryDiagnoser]
public class OllamaStreamingBenchmarks
{
    private BenchmarkClients _clients = null!;
    private string _scenario = null!;
    private IChatClient _floorChat = null!;
    private IChatClient _ours = null!;
    private IChatClient _ollamaSharp = null!;

    public static IEnumerable<int> ChunkCountValues => SseStreamingBenchmarks.ChunkCounts;

    [ParamsSource(nameof(ChunkCountValues))]
    public int Chunks { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _scenario = BenchmarkPayloads.OllamaScenario(Chunks);
        _floorChat = _clients.FloorChatNdjson(_scenario);
        _ours = _clients.Ollama(_scenario);
        _ollamaSharp = _clients.OllamaSharp(_scenario);
        await Validation.AllAsync(
            BenchmarkPayloads.Get(_scenario)!,
            ("Floor", r => _clients.Floor.StreamNdjsonAsync(_scenario, r)),
            ("FloorChatClient", r => Received.DrainAsync(_floorChat.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("OllamaChatClient", r => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("OllamaSharp", r => Received.DrainAsync(_ollamaSharp.GetStreamingResponseAsync(BenchmarkClients.Messages), r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> Floor() => _clients.Floor.StreamNdjsonAsync(_scenario, null);

    [Benchmark]
    public Task<int> FloorChatClient() => Received.DrainAsync(_floorChat.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    public Task<int> OllamaChatClient() => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    public Task<int> OllamaSharp() => Received.DrainAsync(_ollamaSharp.GetStreamingResponseAsync(BenchmarkClients.Messages), null);
}
