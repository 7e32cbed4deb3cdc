using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>One streamed tool call whose JSON arguments (about 8 KB) arrive in 2,000 fragments, then <c>finish_reason: tool_calls</c>.</summary>
[MemoryDiagnoser]
[Chunks(BenchmarkPayloads.ToolArgumentFragments)]
public class ToolCallStreamBenchmarks
{
    private BenchmarkClients _clients = null!;
    private IChatClient _ours = null!;
    private IChatClient _openAI = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _ours = _clients.LlamaCpp(BenchmarkPayloads.ToolCall);
        _openAI = _clients.MeaiOpenAI(BenchmarkPayloads.ToolCall);
        await Validation.AllAsync(
            BenchmarkPayloads.Get(BenchmarkPayloads.ToolCall)!,
            ("Floor", r => _clients.Floor.StreamSseAsync(BenchmarkPayloads.ToolCall, r)),
            ("LlamaCppChatClient", r => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("MEAI.OpenAI", r => Received.DrainAsync(_openAI.GetStreamingResponseAsync(BenchmarkClients.Messages), r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> Floor() => _clients.Floor.StreamSseAsync(BenchmarkPayloads.ToolCall, null);

    [Benchmark]
    public Task<int> LlamaCppChatClient() => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    public Task<int> MeaiOpenAI() => Received.DrainAsync(_openAI.GetStreamingResponseAsync(BenchmarkClients.Messages), null);
}
