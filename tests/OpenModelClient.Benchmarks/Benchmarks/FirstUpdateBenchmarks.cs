using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// Time to first update: from the call until the first piece of text is in the caller's hands (request built and sent,
/// headers and first event parsed). The rest of the short stream is then abandoned, as a caller that stops early does.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FirstUpdateBenchmarks
{
    private const string Sse = "SSE";
    private const string Ndjson = "NDJSON";
    private BenchmarkClients _clients = null!;
    private IChatClient _ours = null!;
    private IChatClient _openAI = null!;
    private IChatClient _ollama = null!;
    private IChatClient _ollamaSharp = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _ours = _clients.LlamaCpp(BenchmarkPayloads.FirstUpdate);
        _openAI = _clients.MeaiOpenAI(BenchmarkPayloads.FirstUpdate);
        _ollama = _clients.Ollama(BenchmarkPayloads.OllamaFirstUpdate);
        _ollamaSharp = _clients.OllamaSharp(BenchmarkPayloads.OllamaFirstUpdate);
        var first = new Payload([], string.Empty, isStream: true, 1, BenchmarkPayloads.Token(0));
        await Validation.AllAsync(
            first,
            ("Floor", r => _clients.Floor.StreamSseAsync(BenchmarkPayloads.FirstUpdate, r, firstOnly: true)),
            ("LlamaCppChatClient", r => FirstAsync(_ours, r)),
            ("MEAI.OpenAI", r => FirstAsync(_openAI, r)),
            ("Floor (Ollama)", r => _clients.Floor.StreamNdjsonAsync(BenchmarkPayloads.OllamaFirstUpdate, r, firstOnly: true)),
            ("OllamaChatClient", r => FirstAsync(_ollama, r)),
            ("OllamaSharp", r => FirstAsync(_ollamaSharp, r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Sse)]
    public Task<int> Floor() => _clients.Floor.StreamSseAsync(BenchmarkPayloads.FirstUpdate, null, firstOnly: true);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> LlamaCppChatClient() => FirstAsync(_ours, null);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> MeaiOpenAI() => FirstAsync(_openAI, null);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Ndjson)]
    public Task<int> FloorOllama() => _clients.Floor.StreamNdjsonAsync(BenchmarkPayloads.OllamaFirstUpdate, null, firstOnly: true);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> OllamaChatClient() => FirstAsync(_ollama, null);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> OllamaSharp() => FirstAsync(_ollamaSharp, null);

    private static async Task<int> FirstAsync(IChatClient client, Received? received)
    {
        await foreach (var update in client.GetStreamingResponseAsync(BenchmarkClients.Messages).ConfigureAwait(false))
        {
            if (Received.Count(update.Contents, received) is > 0 and var seen)
            {
                return seen;
            }
        }

        return 0;
    }
}
