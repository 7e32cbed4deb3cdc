using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>An OpenAI-style SSE stream of text chunks (llama.cpp, vLLM, DeepSeek, Qwen all send this shape).</summary>
[MemoryDiagnoser]
public class SseStreamingBenchmarks
{
    public static readonly int[] ChunkCounts = [1_000, 10_000, 100_000];
    private BenchmarkClients _clients = null!;
    private string _scenario = null!;
    private IChatClient _floorChat = null!;
    private IChatClient _ours = null!;
    private IChatClient _openAI = null!;

    public static IEnumerable<int> ChunkCountValues => ChunkCounts;

    [ParamsSource(nameof(ChunkCountValues))]
    public int Chunks { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _scenario = BenchmarkPayloads.TextScenario(Chunks);
        _floorChat = _clients.FloorChat(_scenario);
        _ours = _clients.LlamaCpp(_scenario);
        _openAI = _clients.MeaiOpenAI(_scenario);
        await Validation.AllAsync(
            BenchmarkPayloads.Get(_scenario)!,
            ("Floor", r => _clients.Floor.StreamSseAsync(_scenario, r)),
            ("FloorChatClient", r => Received.DrainAsync(_floorChat.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("LlamaCppChatClient", r => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("MEAI.OpenAI", r => Received.DrainAsync(_openAI.GetStreamingResponseAsync(BenchmarkClients.Messages), r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> Floor() => _clients.Floor.StreamSseAsync(_scenario, null);

    [Benchmark]
    public Task<int> FloorChatClient() => Received.DrainAsync(_floorChat.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    public Task<int> LlamaCppChatClient() => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    public Task<int> MeaiOpenAI() => Received.DrainAsync(_openAI.GetStreamingResponseAsync(BenchmarkClients.Messages), null);
}
