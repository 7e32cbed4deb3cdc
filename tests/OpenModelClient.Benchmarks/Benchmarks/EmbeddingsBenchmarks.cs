using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>One batch of 16 inputs answered with 16 × 768 floats (about 160 KB of JSON), OpenAI-style and Ollama-native.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EmbeddingsBenchmarks
{
    private const string OpenAIStyle = "/v1/embeddings";
    private const string OllamaNative = "ollama /api/embed";
    private BenchmarkClients _clients = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _ours = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _openAI = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _ollama = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _ollamaSharp = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = new BenchmarkClients();
        _ours = _clients.LlamaCppEmbeddings(BenchmarkPayloads.Embeddings);
        _openAI = _clients.MeaiOpenAIEmbeddings(BenchmarkPayloads.Embeddings);
        _ollama = _clients.OllamaEmbeddings(BenchmarkPayloads.OllamaEmbeddings);
        _ollamaSharp = _clients.OllamaSharp(BenchmarkPayloads.OllamaEmbeddings);
        await Validation.AllAsync(
            BenchmarkPayloads.Get(BenchmarkPayloads.Embeddings)!,
            ("Floor", async r => r.Vectors.AddRange(await _clients.Floor.EmbedAsync(BenchmarkPayloads.Embeddings, "v1/embeddings").ConfigureAwait(false))),
            ("LlamaCppEmbeddingGenerator", r => RunAsync(_ours, r)),
            ("MEAI.OpenAI", r => RunAsync(_openAI, r)));
        await Validation.AllAsync(
            BenchmarkPayloads.Get(BenchmarkPayloads.OllamaEmbeddings)!,
            ("Floor (Ollama)", async r => r.Vectors.AddRange(await _clients.Floor.EmbedAsync(BenchmarkPayloads.OllamaEmbeddings, "api/embed").ConfigureAwait(false))),
            ("OllamaEmbeddingGenerator", r => RunAsync(_ollama, r)),
            ("OllamaSharp", r => RunAsync(_ollamaSharp, r)));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(OpenAIStyle)]
    public async Task<int> Floor() => (await _clients.Floor.EmbedAsync(BenchmarkPayloads.Embeddings, "v1/embeddings").ConfigureAwait(false)).Count;

    [Benchmark]
    [BenchmarkCategory(OpenAIStyle)]
    public Task<int> LlamaCppEmbeddingGenerator() => RunAsync(_ours, null);

    [Benchmark]
    [BenchmarkCategory(OpenAIStyle)]
    public Task<int> MeaiOpenAI() => RunAsync(_openAI, null);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(OllamaNative)]
    public async Task<int> FloorOllama() => (await _clients.Floor.EmbedAsync(BenchmarkPayloads.OllamaEmbeddings, "api/embed").ConfigureAwait(false)).Count;

    [Benchmark]
    [BenchmarkCategory(OllamaNative)]
    public Task<int> OllamaEmbeddingGenerator() => RunAsync(_ollama, null);

    [Benchmark]
    [BenchmarkCategory(OllamaNative)]
    public Task<int> OllamaSharp() => RunAsync(_ollamaSharp, null);

    private static async Task<int> RunAsync(IEmbeddingGenerator<string, Embedding<float>> generator, Received? received)
    {
        var embeddings = await generator.GenerateAsync(FloorClient.EmbeddingInputs).ConfigureAwait(false);
        foreach (var embedding in embeddings)
        {
            received?.Vectors.Add(embedding.Vector.ToArray());
        }

        return embeddings.Count;
    }
}
