using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.HealthChecks;

/// <summary>The health check over real sockets: a loaded model is Healthy, a loading one or a missing model Degraded, a stopped server Unhealthy.</summary>
public class OpenModelHealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HealthReport> CheckAsync(params (string Key, string? Value)[] section)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(section.Select(v => new KeyValuePair<string, string?>("OpenModel:" + v.Key, v.Value)).Append(new("OpenModel:Retry:MaxAttempts", "1")))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOpenModelChatClient(configuration.GetSection("OpenModel"));
        services.AddHealthChecks().AddOpenModelHealthCheck();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
    }

    [Fact]
    public async Task A_llama_cpp_server_with_its_model_loaded_is_healthy_and_one_still_loading_is_degraded()
    {
        await using var ready = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "health-ok"));
        await using var loading = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "health-503-loading"));

        var up = await CheckAsync(("Provider", "LlamaCpp"), ("Endpoint", ready.BaseAddress.ToString()));
        var warming = await CheckAsync(("Provider", "LlamaCpp"), ("Endpoint", loading.BaseAddress.ToString()));

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal("/health", ready.Requests[0].PathAndQuery);
        Assert.False(up.Entries["openmodel"].Data.ContainsKey("sleeping")); // this replay has no model listing: sleeping is not claimed either way
        Assert.Equal(HealthStatus.Degraded, warming.Status);
        Assert.Contains("Loading model", warming.Entries["openmodel"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_server_is_unhealthy_and_says_it_cannot_be_reached()
    {
        using var dead = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dead.Start();
        int port = ((System.Net.IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop();

        var report = await CheckAsync(("Provider", "LlamaCpp"), ("Endpoint", $"http://127.0.0.1:{port}"), ("ApiKey", "sk-secret-key"));

        var entry = report.Entries["openmodel"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("cannot be reached", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-key", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_llama_cpp_server_asleep_after_idling_is_healthy_and_says_sleeping()
    {
        // Recorded from a server started with --sleep-idle-seconds 1, after its model went to sleep: /health still answers 200.
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp-2026", "sleeping-health").ForRequest("GET", "/health"),
            ReplayResponse.FromFixture("llama.cpp-2026", "sleeping-models").ForRequest("GET", "/models"),
            ReplayResponse.FromFixture("llama.cpp-2026", "sleeping-props").ForRequest("GET", "/props"));

        var report = await CheckAsync(("Provider", "LlamaCpp"), ("Endpoint", server.BaseAddress.ToString()));

        var entry = report.Entries["openmodel"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(true, entry.Data["sleeping"]);
        Assert.Contains("asleep", entry.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llama3.2", HealthStatus.Healthy)]
    [InlineData("llama3.2:latest", HealthStatus.Healthy)]
    [InlineData("qwen3:4b", HealthStatus.Degraded)]
    public async Task Ollama_is_healthy_when_it_runs_and_has_the_model(string model, HealthStatus expected)
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("ollama", "root").ForRequest("GET", "/"), ReplayResponse.FromFixture("ollama", "tags").ForRequest("GET", "/api/tags"));

        var report = await CheckAsync(("Provider", "Ollama"), ("Endpoint", server.BaseAddress.ToString()), ("Model", model));

        Assert.Equal(expected, report.Status);
        if (expected == HealthStatus.Degraded)
        {
            Assert.Contains("ollama pull qwen3:4b", report.Entries["openmodel"].Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_provider_without_a_readiness_endpoint_is_not_probed()
    {
        await using var server = await ReplayServer.StartAsync();

        var report = await CheckAsync(("Provider", "OpenAICompatible"), ("Endpoint", new Uri(server.BaseAddress, "v1").ToString()), ("Model", "m"));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(false, report.Entries["openmodel"].Data["checked"]);
        Assert.Equal(0, server.RequestCount);
    }
}
