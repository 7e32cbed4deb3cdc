using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>One non-streamed round trip answering about 500 tokens (2.7 KB of text), OpenAI-style and Ollama-native.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NonStreamingBenchmarks
{
    private const string Sse = "chat/completions";
    private const string Ndjson = "ollama /api/chat";
    private BenchmarkClients _clients = null!;
    private IChatClient _ours = null!;
    private IChatClient _openAI = null!;
    private IChatClient _ollama = null!;
    private IChatClient _ollamaSharp = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _ours = _clients.LlamaCpp(BenchmarkPayloads.Chat);
        _openAI = _clients.MeaiOpenAI(BenchmarkPayloads.Chat);
        _ollama = _clients.Ollama(BenchmarkPayloads.OllamaChat);
        _ollamaSharp = _clients.OllamaSharp(BenchmarkPayloads.OllamaChat);
        await Validation.AllAsync(
            BenchmarkPayloads.Get(BenchmarkPayloads.Chat)!,
            ("Floor", r => _clients.Floor.ChatAsync(BenchmarkPayloads.Chat, "v1/chat/completions", r)),
            ("LlamaCppChatClient", r => RunAsync(_ours, r)),
            ("MEAI.OpenAI", r => RunAsync(_openAI, r)));
        await Validation.AllAsync(
            BenchmarkPayloads.Get(BenchmarkPayloads.OllamaChat)!,
            ("Floor (Ollama)", r => _clients.Floor.ChatAsync(BenchmarkPayloads.OllamaChat, "api/chat", r)),
            ("OllamaChatClient", r => RunAsync(_ollama, r)),
            ("OllamaSharp", r => RunAsync(_ollamaSharp, r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Sse)]
    public Task<int> Floor() => _clients.Floor.ChatAsync(BenchmarkPayloads.Chat, "v1/chat/completions", null);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> LlamaCppChatClient() => RunAsync(_ours, null);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> MeaiOpenAI() => RunAsync(_openAI, null);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Ndjson)]
    public Task<int> FloorOllama() => _clients.Floor.ChatAsync(BenchmarkPayloads.OllamaChat, "api/chat", null);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> OllamaChatClient() => RunAsync(_ollama, null);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> OllamaSharp() => RunAsync(_ollamaSharp, null);

    private static async Task<int> RunAsync(IChatClient client, Received? received)
    {
        var response = await client.GetResponseAsync(BenchmarkClients.Messages).ConfigureAwait(false);
        int seen = 0;
        foreach (var message in response.Messages)
        {
            seen += Received.Count(message.Contents, received);
        }

        return seen;
    }
}
