using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenModelClient.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace OpenModelClient.Tests.Hosting;

/// <summary>The Aspire way: a connection name, <c>ConnectionStrings:{name}</c> in Aspire's shape, a settings section, a health check and telemetry switches.</summary>
public class HostApplicationBuilderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Fact]
    public async Task An_aspire_connection_string_with_Key_and_no_Provider_reaches_the_server()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var builder = Builder(("ConnectionStrings:chat", $"Endpoint={new Uri(server.BaseAddress, "v1")};Key=sk-aspire-1;Model=tiny"));
        builder.AddOpenModelChatClient("chat").UseFunctionInvocation();
        using var host = builder.Build();

        var client = host.Services.GetRequiredService<IChatClient>();
        await client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.NotNull(client.GetService<FunctionInvokingChatClient>());
        Assert.Equal("openai-compatible", client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Equal("/v1/chat/completions", server.Requests[0].PathAndQuery);
        Assert.Equal("Bearer sk-aspire-1", server.Requests[0].Headers["Authorization"]);
        Assert.Equal("tiny", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_settings_section_supplies_keys_the_connection_string_overrides_and_AccessKey_is_the_key()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("ollama", "chat-stream-text"));
        var builder = Builder(
            ("Aspire:OpenModelClient:local:Provider", "LlamaCpp"),
            ("Aspire:OpenModelClient:local:Model", "from-settings"),
            ("Aspire:OpenModelClient:local:Retry:MaxAttempts", "1"),
            ("Aspire:OpenModelClient:local:DisableHealthChecks", "true"),
            ("ConnectionStrings:local", $"Endpoint={server.BaseAddress};Provider=Ollama;Model=qwen3:4b;AccessKey=sk-aspire-2"));
        builder.AddKeyedOpenModelChatClient("local");
        using var host = builder.Build();

        var client = host.Services.GetRequiredKeyedService<IChatClient>("local");
        await client.GetStreamingResponseAsync("hi", cancellationToken: Ct).ToChatResponseAsync(Ct);

        var options = host.Services.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get("keyed:local");
        Assert.Equal(1, options.Retry.MaxAttempts);
        Assert.Equal("/api/chat", server.Requests[0].PathAndQuery);
        Assert.Equal("qwen3:4b", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
        Assert.Equal("Bearer sk-aspire-2", server.Requests[0].Headers["Authorization"]);
        Assert.DoesNotContain(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "openmodel-local");
    }

    [Theory]
    [InlineData("https://api.deepseek.com", OpenModelProvider.DeepSeek)]
    [InlineData("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", OpenModelProvider.Qwen)]
    [InlineData("http://ollama:11434", OpenModelProvider.Ollama)]
    [InlineData("https://ollama.com", OpenModelProvider.Ollama)]
    [InlineData("http://vllm:8000/v1", OpenModelProvider.OpenAICompatible)]
    [InlineData("http://localhost:8080", null)]
    public void The_provider_is_inferred_only_where_the_endpoint_says_it(string endpoint, OpenModelProvider? expected)
    {
        var options = new OpenModelClientOptions();
        OpenModelConnectionString.Apply($"Endpoint={endpoint};Model=m", options, "ConnectionStrings:chat");
        Assert.Equal(expected, options.Provider);
        Assert.Empty(options.BindingErrors);
    }

    [Fact]
    public async Task A_connection_the_provider_cannot_be_inferred_for_names_the_key_at_start_up()
    {
        var builder = Builder(("ConnectionStrings:chat", "Endpoint=http://localhost:8080;Key=sk-never-shown"));
        builder.AddOpenModelChatClient("chat");
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("ConnectionStrings:chat:Provider is missing", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-shown", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_names_the_settings_section()
    {
        var builder = Builder();
        builder.AddOpenModelChatClient("chat");
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("Aspire:OpenModelClient:chat:Provider is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_check_is_registered_under_the_connection_name()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "health-ok"));
        var builder = Builder(("ConnectionStrings:chat", $"Endpoint={server.BaseAddress};Provider=LlamaCpp"));
        builder.AddOpenModelChatClient("chat");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        var entry = Assert.Single(report.Entries);
        Assert.Equal("openmodel-chat", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Equal("/health", server.Requests[0].PathAndQuery);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Spans_reach_the_applications_tracer_unless_tracing_is_disabled(bool disableTracing)
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var spans = new List<Activity>();
        var builder = Builder(
            ("ConnectionStrings:chat", $"Endpoint={server.BaseAddress};Provider=LlamaCpp"),
            ("Aspire:OpenModelClient:chat:DisableTracing", disableTracing ? "true" : "false"));
        builder.AddOpenModelChatClient("chat");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync(Ct);

        await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var ours = spans.Where(s => s.Source.Name == OpenModelTelemetry.SourceName && (s.GetTagItem("server.port") as int?) == server.BaseAddress.Port).ToList();
        Assert.Equal(disableTracing ? 0 : 1, ours.Count);
        await host.StopAsync(Ct);
    }

    [Fact]
    public void An_invalid_switch_names_its_key()
    {
        var builder = Builder(("Aspire:OpenModelClient:chat:DisableMetrics", "yes"));
        var e = Assert.Throws<InvalidOperationException>(() => builder.AddOpenModelChatClient("chat"));
        Assert.Equal("Aspire:OpenModelClient:chat:DisableMetrics 'yes' must be true or false.", e.Message);
    }

    [Fact]
    public async Task An_embedding_generator_comes_from_a_named_connection()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "embeddings-single-string"));
        var builder = Builder(("ConnectionStrings:embeddings", $"Endpoint={server.BaseAddress};Provider=LlamaCpp;Model=tiny"));
        builder.AddKeyedOpenModelEmbeddingGenerator("embeddings");
        using var host = builder.Build();

        var result = await host.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("embeddings").GenerateAsync(["hello world"], cancellationToken: Ct);

        Assert.Equal(8, Assert.Single(result).Vector.Length);
        Assert.Equal("tiny", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
    }
}
