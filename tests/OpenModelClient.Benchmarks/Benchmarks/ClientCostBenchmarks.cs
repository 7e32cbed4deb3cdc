using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// The 10,000-chunk streams again, with the bytes served from memory (<see cref="InMemoryReplayHandler"/>) instead of the loopback server:
/// the client's own cost, without the sockets and the second process that make the loopback ratios move from run to run.
/// A supplement to <see cref="SseStreamingBenchmarks"/> and <see cref="OllamaStreamingBenchmarks"/>, not a replacement. The
/// <c>Configured</c> clients are what <c>AddOpenModelChatClient</c> registers (telemetry, capability guard, resilience pipeline,
/// body watchdog) with only the primary handler swapped for the in-memory one.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientCostBenchmarks
{
    private const int Chunks = 10_000;
    private const string Sse = "SSE in memory";
    private const string Ndjson = "NDJSON in memory";
    private static readonly string SseScenario = BenchmarkPayloads.TextScenario(Chunks);
    private static readonly string NdjsonScenario = BenchmarkPayloads.OllamaScenario(Chunks);
    private HttpClient _http = null!;
    private FloorClient _floor = null!;
#pragma warning disable CA1859 // called through IChatClient, as users call them
    private IChatClient _floorChat = null!;
    private IChatClient _floorChatNdjson = null!;
    private IChatClient _llamaCpp = null!;
    private IChatClient _ollama = null!;
#pragma warning restore CA1859
    private ServiceProvider _services = null!;
    private IChatClient _configuredLlamaCpp = null!;
    private IChatClient _configuredOllama = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _http = new HttpClient(new InMemoryReplayHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var root = InMemoryReplayHandler.BaseAddress;
        _floor = new FloorClient(_http, root);
        _floorChat = new FloorChatClient(_http, new Uri(root, $"{SseScenario}/"));
        _llamaCpp = new LlamaCppChatClient(new Uri(root, $"{SseScenario}/"), BenchmarkPayloads.Model, _http);
        _floorChatNdjson = new FloorChatClient(_http, new Uri(root, $"{NdjsonScenario}/"), ndjson: true);
        _ollama = new OllamaChatClient(new Uri(root, $"{NdjsonScenario}/"), BenchmarkPayloads.Model, _http);
        _services = ConfiguredClients(root);
        _configuredLlamaCpp = _services.GetRequiredKeyedService<IChatClient>("llamacpp");
        _configuredOllama = _services.GetRequiredKeyedService<IChatClient>("ollama");
        await Validation.AllAsync(
            BenchmarkPayloads.Get(SseScenario)!,
            ("Configured LlamaCppChatClient", r => Received.DrainAsync(_configuredLlamaCpp.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("Floor", r => _floor.StreamSseAsync(SseScenario, r)),
            ("FloorChatClient", r => Received.DrainAsync(_floorChat.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("LlamaCppChatClient", r => Received.DrainAsync(_llamaCpp.GetStreamingResponseAsync(BenchmarkClients.Messages), r)));
        await Validation.AllAsync(
            BenchmarkPayloads.Get(NdjsonScenario)!,
            ("Floor (Ollama)", r => _floor.StreamNdjsonAsync(NdjsonScenario, r)),
            ("FloorChatClient (NDJSON)", r => Received.DrainAsync(_floorChatNdjson.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("OllamaChatClient", r => Received.DrainAsync(_ollama.GetStreamingResponseAsync(BenchmarkClients.Messages), r)),
            ("Configured OllamaChatClient", r => Received.DrainAsync(_configuredOllama.GetStreamingResponseAsync(BenchmarkClients.Messages), r)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _llamaCpp.Dispose();
        _ollama.Dispose();
        _floorChat.Dispose();
        _floorChatNdjson.Dispose();
        _services.Dispose();
        _http.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Sse)]
    public Task<int> Floor() => _floor.StreamSseAsync(SseScenario, null);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> FloorChatClient() => Received.DrainAsync(_floorChat.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> LlamaCppChatClient() => Received.DrainAsync(_llamaCpp.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    [BenchmarkCategory(Sse)]
    public Task<int> ConfiguredLlamaCppChatClient() => Received.DrainAsync(_configuredLlamaCpp.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Ndjson)]
    public Task<int> FloorOllama() => _floor.StreamNdjsonAsync(NdjsonScenario, null);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> FloorChatClientNdjson() => Received.DrainAsync(_floorChatNdjson.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> OllamaChatClient() => Received.DrainAsync(_ollama.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    [Benchmark]
    [BenchmarkCategory(Ndjson)]
    public Task<int> ConfiguredOllamaChatClient() => Received.DrainAsync(_configuredOllama.GetStreamingResponseAsync(BenchmarkClients.Messages), null);

    private static ServiceProvider ConfiguredClients(Uri root)
    {
        var services = new ServiceCollection();
        services.AddKeyedOpenModelChatClient("llamacpp", new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Provider"] = "llamacpp", ["Endpoint"] = new Uri(root, $"{SseScenario}/").ToString(), ["Model"] = BenchmarkPayloads.Model,
        }).Build());
        services.AddKeyedOpenModelChatClient("ollama", new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Provider"] = "ollama", ["Endpoint"] = new Uri(root, $"{NdjsonScenario}/").ToString(), ["Model"] = BenchmarkPayloads.Model,
        }).Build());
        services.AddHttpClient("OpenModelClient:keyed:llamacpp").ConfigurePrimaryHttpMessageHandler(() => new InMemoryReplayHandler());
        services.AddHttpClient("OpenModelClient:keyed:ollama").ConfigurePrimaryHttpMessageHandler(() => new InMemoryReplayHandler());
        return services.BuildServiceProvider();
    }
}
