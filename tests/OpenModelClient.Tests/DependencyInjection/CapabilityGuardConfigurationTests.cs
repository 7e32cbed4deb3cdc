using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.DependencyInjection;

public class CapabilityGuardConfigurationTests
{
    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Get the weather", System.Text.Json.JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}"""));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_configured_client_drops_tools_the_template_cannot_call_with_a_warning()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp", "embeddings-props"), ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var logs = new WarningLoggerFactory();
        await using var provider = Build(server, logs);
        var client = provider.GetRequiredService<IChatClient>();

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [Weather] }, Ct);

        Assert.Equal("/props", server.Requests[0].PathAndQuery);
        Assert.Null(server.Requests[1].BodyJson!["tools"]);
        Assert.Contains(logs.Warnings, w => w.Contains("does not support tools", StringComparison.Ordinal));
        var caps = await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.False(caps.SupportsTools);
        Assert.Equal(2048, caps.ContextLength);
    }

    [Fact]
    public async Task The_guard_can_be_turned_off_in_configuration()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        await using var provider = Build(server, new WarningLoggerFactory(), ("CapabilityGuard", "false"));

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", new ChatOptions { Tools = [Weather] }, Ct);

        var request = Assert.Single(server.Requests);
        Assert.NotNull(request.BodyJson!["tools"]);
    }

    private static ServiceProvider Build(ReplayServer server, ILoggerFactory logs, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?> { ["OpenModel:Provider"] = "LlamaCpp", ["OpenModel:Endpoint"] = server.BaseAddress.ToString() };
        foreach (var (key, value) in extra)
        {
            values["OpenModel:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton(logs);
        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        return services.BuildServiceProvider();
    }

    private sealed class WarningLoggerFactory : ILoggerFactory
    {
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_warnings)
                {
                    return [.. _warnings];
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

        private sealed class Logger(WarningLoggerFactory owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel == LogLevel.Warning)
                {
                    lock (owner._warnings)
                    {
                        owner._warnings.Add(formatter(state, exception));
                    }
                }
            }
        }
    }
}
