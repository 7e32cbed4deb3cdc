using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// 5,000 <c>reasoning_content</c> chunks, then 5,000 content chunks (llama.cpp, DeepSeek, Qwen). Microsoft.Extensions.AI.OpenAI is not
/// here: the OpenAI SDK drops <c>reasoning_content</c>, so it would be measured doing less work and could not pass the check.
/// </summary>
[MemoryDiagnoser]
[Chunks(BenchmarkPayloads.ReasoningChunks + BenchmarkPayloads.ReasoningAnswerChunks)]
public class ReasoningStreamBenchmarks
{
    private BenchmarkClients _clients = null!;
    private IChatClient _ours = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _ours = _clients.LlamaCpp(BenchmarkPayloads.Reasoning);
        await Validation.AllAsync(
            BenchmarkPayloads.Get(BenchmarkPayloads.Reasoning)!,
            ("Floor", r => _clients.Floor.StreamSseAsync(BenchmarkPayloads.Reasoning, r)),
            ("LlamaCppChatClient", r => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> Floor() => _clients.Floor.StreamSseAsync(BenchmarkPayloads.Reasoning, null);

    [Benchmark]
    public Task<int> LlamaCppChatClient() => Received.DrainAsync(_ours.GetStreamingResponseAsync(BenchmarkClients.Messages), null);
}
