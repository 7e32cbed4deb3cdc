using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.DependencyInjection;

/// <summary>The code a .NET developer writes by habit, without a configuration file: typed provider and endpoint, settable sub-options,
/// keyed and embedding overloads taking an <see cref="Action{T}"/>, a <see cref="ServiceLifetime"/>, and plain constructors.</summary>
public class CodeFirstConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Typed_provider_endpoint_and_replaced_sub_options_reach_the_server()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("ollama", "chat-stream-text"));
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(o =>
        {
            o.Provider = OpenModelProvider.Ollama;
            o.Endpoint = server.BaseAddress;
            o.Model = "qwen3:4b";
            o.Timeouts = new OpenModelTimeoutOptions { FirstChunk = TimeSpan.FromSeconds(30) };
            o.Retry = new OpenModelRetryOptions { MaxAttempts = 1 };
            o.Telemetry = new OpenModelTelemetryOptions { Enabled = false };
            o.Limits = new OpenModelResponseLimits { MaxLineBytes = 64 * 1024 };
            o.Guards = new OpenModelGuardOptions { AnswerRoom = false };
        });
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get(Options.DefaultName);
        Assert.Equal(1, options.Retry.MaxAttempts);
        Assert.Equal(64 * 1024, options.Limits.MaxLineBytes);
        var client = provider.GetRequiredService<IChatClient>();
        Assert.Null(client.GetService<OpenTelemetryChatClient>());
        Assert.Null(client.GetService<AnswerRoomChatClient>());

        var response = await client.GetStreamingResponseAsync("hi", cancellationToken: Ct).ToChatResponseAsync(Ct);

        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal("/api/chat", server.Requests[0].PathAndQuery);
        Assert.Equal("qwen3:4b", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
    }

    [Fact]
    public void A_sub_option_cannot_be_set_to_null()
    {
        var options = new OpenModelClientOptions();
        Assert.Throws<ArgumentNullException>(() => options.Timeouts = null!);
        Assert.Throws<ArgumentNullException>(() => options.Guards = null!);
    }

    [Fact]
    public async Task Keyed_chat_clients_and_embedding_generators_take_code_and_a_lifetime()
    {
        await using var embeddings = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "embeddings-single-string"));
        var services = new ServiceCollection();
        services.AddKeyedOpenModelChatClient("local", o => { o.Provider = OpenModelProvider.LlamaCpp; o.Endpoint = new Uri("http://127.0.0.1:1"); }, ServiceLifetime.Scoped)
            .UseFunctionInvocation();
        services.AddKeyedOpenModelEmbeddingGenerator("search", o => { o.Provider = OpenModelProvider.LlamaCpp; o.Endpoint = embeddings.BaseAddress; o.EmbeddingModel = "tiny"; });
        services.AddOpenModelEmbeddingGenerator(o => { o.Provider = OpenModelProvider.LlamaCpp; o.Endpoint = embeddings.BaseAddress; }, ServiceLifetime.Transient);

        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(IChatClient) && Equals(d.ServiceKey, "local")).Lifetime);
        Assert.Equal(ServiceLifetime.Transient, services.Single(d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>) && !d.IsKeyedService).Lifetime);

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using (var scope = provider.CreateAsyncScope())
        {
            var local = scope.ServiceProvider.GetRequiredKeyedService<IChatClient>("local");
            Assert.NotNull(local.GetService<FunctionInvokingChatClient>());
            Assert.Same(local, scope.ServiceProvider.GetRequiredKeyedService<IChatClient>("local"));
        }

        var search = provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("search");
        var result = await search.GenerateAsync(["hello world"], cancellationToken: Ct);
        Assert.Equal(8, Assert.Single(result).Vector.Length);
        Assert.Equal("tiny", embeddings.Requests[0].BodyJson!["model"]!.GetValue<string>());
        Assert.NotSame(provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public async Task Options_set_in_code_are_validated_at_start_up_naming_the_key()
    {
        const string expected = "OpenModel:Provider is missing. Set it to one of: LlamaCpp, Ollama, DeepSeek, Qwen, OpenAICompatible";
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(o => o.Model = "qwen3:4b");
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_or_non_http_endpoint_set_in_code_names_the_key_and_an_example()
    {
        foreach (var endpoint in new[] { new Uri("v1", UriKind.Relative), new Uri("ftp://localhost:8080") })
        {
            var services = new ServiceCollection();
            services.AddOpenModelChatClient(o => { o.Provider = OpenModelProvider.LlamaCpp; o.Endpoint = endpoint; });
            await using var provider = services.BuildServiceProvider();

            var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
            Assert.Contains($"OpenModel:Endpoint '{endpoint.OriginalString}' is not an absolute http(s) URL. Example: http://localhost:8080", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_undefined_provider_value_set_in_code_is_refused()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(o => { o.Provider = (OpenModelProvider)42; o.Endpoint = new Uri("http://127.0.0.1:1"); });
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("OpenModel:Provider '42' is not a known provider", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_text_still_binds_to_the_typed_members()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "ollama",
            ["OpenModel:Endpoint"] = "http://127.0.0.1:1/",
            ["OpenModel:Model"] = "qwen3:4b",
        }).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(section);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get(Options.DefaultName);
        Assert.Equal(OpenModelProvider.Ollama, options.Provider);
        Assert.Equal(new Uri("http://127.0.0.1:1/"), options.Endpoint);
    }

    [Fact]
    public void Plain_constructors_default_to_the_local_servers()
    {
        using var ollama = new OllamaChatClient("qwen3:4b");
        using var llamaCpp = new LlamaCppChatClient();
        using var ollamaEmbeddings = new OllamaEmbeddingGenerator("nomic-embed-text");
        using var llamaCppEmbeddings = new LlamaCppEmbeddingGenerator();

        Assert.Equal(new Uri("http://localhost:11434/"), ollama.GetService<ChatClientMetadata>()!.ProviderUri);
        Assert.Equal("qwen3:4b", ollama.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal(new Uri("http://localhost:8080/"), LlamaCppChatClient.DefaultEndpoint);
        Assert.StartsWith("http://localhost:8080/", llamaCpp.GetService<ChatClientMetadata>()!.ProviderUri!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("http://localhost:11434/", ollamaEmbeddings.GetService<EmbeddingGeneratorMetadata>()!.ProviderUri!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("http://localhost:8080/", llamaCppEmbeddings.GetService<EmbeddingGeneratorMetadata>()!.ProviderUri!.ToString(), StringComparison.Ordinal);
    }
}
