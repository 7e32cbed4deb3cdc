using Microsoft.Extensions.Logging;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Ollama;

/// <summary>Small helpers shared by the Ollama wire tests: fixtures (constructed from PROTOCOLS §2, see Fixtures/ollama/README.md), a synchronous progress sink, a capturing logger.</summary>
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

/// <summary>A logger factory that keeps (level, message) of every entry.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
