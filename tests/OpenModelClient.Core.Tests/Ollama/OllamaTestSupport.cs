using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Ollama;

/// <summary>Small helpers shared by the Ollama wire tests: fixtures (see Fixtures/ollama/README.md), a synchronous progress sink (the capturing logger is TestDoubles/CapturingLoggerFactory).</summary>
internal static class OllamaTestSupport
{
    public const string Provider = "ollama";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ReplayResponse Fixture(string scenario) => ReplayResponse.FromFixture(Provider, scenario);

    public static OllamaChatClient ChatClient(ReplayServer server, string? model = "qwen3", OllamaChatClientOptions? options = null) =>
        new(server.BaseAddress, model, httpClient: null, options);
}

/// <summary>Records every report synchronously (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
internal sealed class ListProgress<T> : IProgress<T>
{
    private readonly List<T> _items = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Report(T value)
    {
        lock (_items)
        {
            _items.Add(value);
        }
    }
}
