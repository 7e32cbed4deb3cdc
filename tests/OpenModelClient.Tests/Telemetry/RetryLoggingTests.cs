using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Telemetry;

/// <summary>What an application's log shows while the pipeline retries, and the names the library's meter publishes.</summary>
public class RetryLoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Client(Uri endpoint, Capture capture)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = endpoint.ToString(),
            ["OpenModel:Retry:BaseDelay"] = "00:00:00.010",
            ["OpenModel:CapabilityGuard"] = "false",
        }).Build().GetSection("OpenModel"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Retries_log_one_information_line_each_without_a_stack_trace()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(503, """{"error":{"message":"Loading model","type":"unavailable_error","code":503}}"""),
            ReplayResponse.Json(503, """{"error":{"message":"Loading model","type":"unavailable_error","code":503}}"""),
            ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        using var capture = new Capture();
        await using var provider = Client(server.BaseAddress, capture);

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal(3, server.Requests.Count);
        var retries = capture.Records.Where(r => r.Category == "OpenModelClient.Resilience").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.Contains("Retrying the llama.cpp request to " + server.BaseAddress.GetLeftPart(UriPartial.Authority) + " (attempt 2 of 3)", retries[0].Message, StringComparison.Ordinal);
        Assert.Contains("after HTTP 503", retries[0].Message, StringComparison.Ordinal);
        Assert.Contains("(attempt 3 of 3)", retries[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(capture.Records, r => r.Level >= LogLevel.Information && r.Category.StartsWith("Polly", StringComparison.Ordinal));
        Assert.Contains(capture.Records, r => r.Level == LogLevel.Debug && r.Category.StartsWith("Polly", StringComparison.Ordinal) && r.Message.Contains("OnRetry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_connections_retry_without_a_stack_trace_at_information_or_above()
    {
        using var capture = new Capture();
        await using var provider = Client(new Uri($"http://127.0.0.1:{FreePort()}"), capture);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct));

        var retries = capture.Records.Where(r => r.Category == "OpenModelClient.Resilience").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Contains("HttpRequestException", r.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Records, r => r.Level >= LogLevel.Information && r.Exception is not null && r.Category.StartsWith("Polly", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Records, r => r.Level >= LogLevel.Information && r.Category == "OpenModelClient.Resilience" && r.Exception is not null);
    }

    [Fact]
    public void The_librarys_own_metrics_are_under_openmodel_and_gen_ai_names_are_the_conventions()
    {
        // The GenAI semantic conventions' metric names (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/).
        string[] conventions = ["gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.operation.time_per_output_chunk", "gen_ai.client.token.usage", "gen_ai.server.request.duration", "gen_ai.server.time_per_output_token", "gen_ai.server.time_to_first_token"];
        _ = OpenModelMetrics.Retries;
        _ = GuardMetrics.Actions;
        var names = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == OpenModelTelemetry.SourceName)
                {
                    names.Add(instrument.Name);
                }
            },
        };
        listener.Start();

        Assert.Contains("openmodel.client.retries", names);
        Assert.Contains("openmodel.guard.actions", names);
        Assert.All(names, name => Assert.True(name.StartsWith("openmodel.", StringComparison.Ordinal) || conventions.Contains(name), $"{name} is neither the library's own nor a GenAI convention name"));
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed record LogRecord(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Capture : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogRecord> _records = new();

        public IReadOnlyList<LogRecord> Records => [.. _records];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Capture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception), exception));
        }
    }
}
