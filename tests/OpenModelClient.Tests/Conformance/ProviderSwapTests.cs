using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Conformance;

/// <summary>One caller, five providers: only the configuration section changes, and the same M.E.AI objects come back.</summary>
public class ProviderSwapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string, string> Providers => new()
    {
        // provider, fixture folder, scenario, expected provider name, expected request path
        { "LlamaCpp", "llama.cpp", "chat-reasoning-budget-stream", "llama.cpp", "/v1/chat/completions" },
        { "Ollama", "ollama", "chat-stream-thinking", "ollama", "/api/chat" },
        { "DeepSeek", "deepseek", "chat-thinking-final-stream", "deepseek", "/chat/completions" },
        { "Qwen", "qwen", "chat-thinking-final-stream", "qwen", "/compatible-mode/v1/chat/completions" },
        { "OpenAICompatible", "vllm", "chat-reasoning-stream", "vllm", "/v1/chat/completions" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_same_caller_code_gets_the_same_meaning_from_every_provider(string providerName, string folder, string scenario, string reportedProvider, string path)
    {
        // The local providers read their capability profile (/props, /api/show) first, because the request carries reasoning settings.
        ReplayResponse[] responses = providerName switch
        {
            "LlamaCpp" => [ReplayResponse.FromFixture(folder, "props"), ReplayResponse.FromFixture(folder, scenario)],
            "Ollama" => [ReplayResponse.FromFixture(folder, "show"), ReplayResponse.FromFixture(folder, scenario)],
            _ => [ReplayResponse.FromFixture(folder, scenario)],
        };
        await using var server = await ReplayServer.StartAsync(responses);
        var endpoint = providerName switch
        {
            "Qwen" => new Uri(server.BaseAddress, "compatible-mode/v1").ToString(),
            "OpenAICompatible" => new Uri(server.BaseAddress, "v1").ToString(),
            _ => server.BaseAddress.ToString(),
        };
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = providerName,
            ["OpenModel:Endpoint"] = endpoint,
            ["OpenModel:Model"] = providerName == "LlamaCpp" ? null : "some-model",
            ["OpenModel:ApiKey"] = providerName is "DeepSeek" or "Qwen" ? "sk-test" : null,
            ["OpenModel:Preset"] = providerName == "OpenAICompatible" ? "Vllm" : null,
        }).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(section);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == OpenModelTelemetry.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        // The caller's code: identical for every provider.
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } };
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is 2+2?", options, Ct))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal(path, server.Requests[^1].PathAndQuery);
        Assert.Equal(responses.Length, server.RequestCount);
        Assert.Equal(reportedProvider, client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Contains(response.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent { Text.Length: > 0 });
        Assert.NotNull(response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount > 0, "usage arrives in the stream");
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.False(string.IsNullOrEmpty(response.ModelId));
        var span = Assert.Single(spans, a => (a.GetTagItem("server.port") as int?) == server.BaseAddress.Port);
        Assert.Equal(reportedProvider, span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(response.Usage!.OutputTokenCount, Convert.ToInt64(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(response.Usage.InputTokenCount, Convert.ToInt64(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.True(contents.FindLastIndex(c => c is TextReasoningContent) < contents.FindIndex(c => c is TextContent), "reasoning comes before the answer");
    }

    [Theory]
    [InlineData("Qwen", "Tokyo", "OpenModel:Region 'Tokyo' is not a Qwen region")]
    [InlineData("Qwen", null, "OpenModel:Region is missing")]
    [InlineData("DeepSeek", null, "OpenModel:ApiKey is missing")]
    public async Task Hosted_provider_settings_are_checked_at_start_up(string providerName, string? region, string expected)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = providerName,
            ["OpenModel:Model"] = "m",
            ["OpenModel:Region"] = region,
            ["OpenModel:ApiKey"] = providerName == "Qwen" ? "sk-test" : null,
        }).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(section);
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepSeek_embeddings_fail_at_start_up_with_what_to_use_instead()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "DeepSeek",
            ["OpenModel:Model"] = "deepseek-flash",
            ["OpenModel:ApiKey"] = "sk-test",
        }).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelEmbeddingGenerator(section);
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Contains("DeepSeek has no embeddings API", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_qwen_region_name_selects_its_documented_endpoint()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "qwen",
            ["OpenModel:Model"] = "qwen3.6-plus",
            ["OpenModel:Region"] = "Singapore",
            ["OpenModel:ApiKey"] = "sk-test",
        }).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(section);
        await using var provider = services.BuildServiceProvider();

        var metadata = provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!;
        Assert.Equal(QwenEndpoints.ForRegion(QwenRegion.Singapore), metadata.ProviderUri);
        Assert.Equal("qwen", metadata.ProviderName);
    }

    [Fact]
    public async Task A_vllm_preset_needs_no_endpoint()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "OpenAICompatible",
            ["OpenModel:Preset"] = "vllm",
            ["OpenModel:Model"] = "Qwen/Qwen3-8B",
        }).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(section);
        await using var provider = services.BuildServiceProvider();

        var metadata = provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!;
        Assert.Equal(8000, metadata.ProviderUri!.Port);
        Assert.Equal("vllm", metadata.ProviderName);
    }
}
