using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace OpenModelClient.Benchmarks;

/// <summary>Builds every benchmarked client for one scenario, all on one <see cref="SocketsHttpHandler"/> so that none gets a better connection pool.</summary>
internal sealed class BenchmarkClients : IDisposable
{
    private static readonly SocketsHttpHandler Handler = new()
    {
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    };

    private readonly List<IDisposable> _owned = [];

    public BenchmarkClients()
    {
        Server = ReplayServerProcess.Current;
        Http = NewHttpClient(null);
        Floor = new FloorClient(Http, Server);
    }

    public static IList<ChatMessage> Messages { get; } = [new(ChatRole.User, "Write a long story.")];

    public Uri Server { get; }

    public HttpClient Http { get; }

    public FloorClient Floor { get; }

    public IChatClient FloorChat(string scenario) => Own(new FloorChatClient(Http, Root(scenario)));

    public IChatClient FloorChatNdjson(string scenario) => Own(new FloorChatClient(Http, Root(scenario), ndjson: true));

    public IChatClient LlamaCpp(string scenario) => Own(new LlamaCppChatClient(Root(scenario), BenchmarkPayloads.Model, Http));

    public IChatClient Ollama(string scenario) => Own(new OllamaChatClient(Root(scenario), BenchmarkPayloads.Model, Http));

    public IEmbeddingGenerator<string, Embedding<float>> LlamaCppEmbeddings(string scenario) =>
        Own(new LlamaCppEmbeddingGenerator(Root(scenario), BenchmarkPayloads.Model, Http));

    public IEmbeddingGenerator<string, Embedding<float>> OllamaEmbeddings(string scenario) =>
        Own(new OllamaEmbeddingGenerator(Root(scenario), BenchmarkPayloads.Model, Http));

    /// <summary>Microsoft.Extensions.AI.OpenAI over the OpenAI SDK, with the SDK's defaults, on the same handler.</summary>
    public IChatClient MeaiOpenAI(string scenario) => Own(OpenAI(scenario).GetChatClient(BenchmarkPayloads.Model).AsIChatClient());

    public IEmbeddingGenerator<string, Embedding<float>> MeaiOpenAIEmbeddings(string scenario) =>
        Own(OpenAI(scenario).GetEmbeddingClient(BenchmarkPayloads.Model).AsIEmbeddingGenerator());

    /// <summary>OllamaSharp's <see cref="OllamaApiClient"/>, which is both an <see cref="IChatClient"/> and an embedding generator.</summary>
    public OllamaApiClient OllamaSharp(string scenario) => Own(new OllamaApiClient(NewHttpClient(Root(scenario)), BenchmarkPayloads.Model));

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Http.Dispose();
    }

    private OpenAIClient OpenAI(string scenario) => new(
        new ApiKeyCredential("bench"),
        new OpenAIClientOptions { Endpoint = new Uri(Server, $"{scenario}/v1"), Transport = new HttpClientPipelineTransport(Http) });

    private Uri Root(string scenario) => new(Server, $"{scenario}/");

    private HttpClient NewHttpClient(Uri? baseAddress)
    {
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (baseAddress is not null)
        {
            _owned.Add(client);
        }

        return client;
    }

    private T Own<T>(T client)
        where T : IDisposable
    {
        _owned.Add(client);
        return client;
    }
}
