using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.DependencyInjection;

public class AddOpenModelChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IConfigurationSection Section(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("OpenModel:" + v.Key, v.Value))).Build().GetSection("OpenModel");

    [Fact]
    public async Task A_llama_cpp_section_gives_a_working_chat_client_with_the_real_provider_name()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "llamacpp"), ("Endpoint", server.BaseAddress.ToString()), ("ApiKey", "k-123")));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", response.Text);
        Assert.Equal("Bearer k-123", server.Requests[0].Headers["Authorization"]);
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal("llama.cpp", metadata.ProviderName);
        Assert.NotNull(client.GetService<LlamaCppServer>());
    }

    [Fact]
    public async Task The_builder_adds_middleware_such_as_function_invocation()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "LlamaCpp"), ("Endpoint", "http://127.0.0.1:1"))).UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<IChatClient>().GetService<FunctionInvokingChatClient>());
    }

    [Fact]
    public async Task An_openai_compatible_section_uses_its_base_url_and_model()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "OpenAICompatible"), ("Endpoint", new Uri(server.BaseAddress, "v1").ToString()), ("Model", "Qwen/Qwen3-8B")));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("/v1/chat/completions", server.Requests[0].PathAndQuery);
        Assert.Equal("Qwen/Qwen3-8B", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("openai-compatible", provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task An_ollama_section_speaks_the_native_protocol_with_the_same_objects()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("ollama", "chat-stream-text"));
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "Ollama"), ("Endpoint", server.BaseAddress.ToString()), ("Model", "qwen3:4b")));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        Assert.Equal("/api/chat", server.Requests[0].PathAndQuery);
        Assert.Equal("qwen3:4b", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
        var response = updates.ToChatResponse();
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.NotNull(response.FinishReason);
        Assert.NotNull(response.Usage?.OutputTokenCount);
        Assert.Equal("ollama", client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.NotNull(client.GetService<OllamaServer>());
    }

    [Fact]
    public async Task Ollama_needs_no_endpoint_and_defaults_to_its_standard_port()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "Ollama"), ("Model", "qwen3:4b")));
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(new Uri("http://localhost:11434/"), provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.ProviderUri);
    }

    [Fact]
    public async Task Keyed_clients_coexist_with_their_own_endpoints()
    {
        await using var local = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        await using var other = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "auth-ok-bearer-key"));
        var services = new ServiceCollection();
        services.AddKeyedOpenModelChatClient("local", Section(("Provider", "LlamaCpp"), ("Endpoint", local.BaseAddress.ToString())));
        services.AddKeyedOpenModelChatClient("other", Section(("Provider", "LlamaCpp"), ("Endpoint", other.BaseAddress.ToString())));
        await using var provider = services.BuildServiceProvider();

        var a = await provider.GetRequiredKeyedService<IChatClient>("local").GetResponseAsync("hi", cancellationToken: Ct);
        var b = await provider.GetRequiredKeyedService<IChatClient>("other").GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", a.Text);
        Assert.Equal("zetastern Identifier response", b.Text);
        Assert.Single(local.Requests);
        Assert.Single(other.Requests);
    }

    [Fact]
    public async Task A_connection_string_section_works_like_the_keys()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OpenModel"] = $"Provider=LlamaCpp;Endpoint={server.BaseAddress};Model=tiny",
        }).Build();
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(configuration.GetSection("ConnectionStrings:OpenModel"));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("tiny", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Embeddings_come_from_the_same_section_with_the_embedding_model()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "embeddings-single-string"));
        var services = new ServiceCollection();
        services.AddOpenModelEmbeddingGenerator(Section(("Provider", "LlamaCpp"), ("Endpoint", server.BaseAddress.ToString()), ("Model", "chat"), ("EmbeddingModel", "tiny")));
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["hello world"], cancellationToken: Ct);

        Assert.Equal("tiny", server.Requests[0].BodyJson!["model"]!.GetValue<string>());
        Assert.Equal(8, Assert.Single(result).Vector.Length);
    }

    [Theory]
    [InlineData(null, "http://localhost:8080", null, null, "OpenModel:Provider is missing")]
    [InlineData("Llama", "http://localhost:8080", null, null, "OpenModel:Provider 'Llama' is not a known provider. Use one of: LlamaCpp, Ollama, DeepSeek, Qwen, OpenAICompatible")]
    [InlineData("LlamaCpp", "localhost:8080", null, null, "OpenModel:Endpoint 'localhost:8080' is not an absolute http(s) URL")]
    [InlineData("LlamaCpp", null, null, null, "OpenModel:Endpoint is missing")]
    [InlineData("OpenAICompatible", "http://localhost:8000/v1", null, null, "OpenModel:Model is missing")]
    [InlineData("DeepSeek", null, "deepseek-flash", null, "OpenModel:ApiKey is missing")]
    public async Task Invalid_configuration_names_the_key_and_the_fix(string? providerName, string? endpoint, string? model, string? apiKey, string expected)
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", providerName), ("Endpoint", endpoint), ("Model", model), ("ApiKey", apiKey)));
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_missing_key_hint_names_the_environment_variable_as_dotnet_reads_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Models:Hosted:Provider"] = "Qwen", ["Models:Hosted:Model"] = "qwen-plus", ["Models:Hosted:Region"] = "Singapore" }).Build();
        var services = new ServiceCollection();
        services.AddKeyedOpenModelChatClient("hosted", configuration.GetSection("Models:Hosted"));
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IChatClient>("hosted"));

        // Double underscores stand for ':' in environment variable names; a single one is read as part of the key.
        Assert.Contains("Models__Hosted__ApiKey", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Models_Hosted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_fails_when_the_host_starts_not_at_first_use()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOpenModelChatClient(Section(("Provider", "LlamaCpp")));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("OpenModel:Endpoint is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_never_show_the_api_key()
    {
        var options = new OpenModelClientOptions { Provider = OpenModelProvider.DeepSeek, ApiKey = "sk-very-secret" };
        Assert.DoesNotContain("sk-very-secret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey=***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_named_http_client_has_no_overall_timeout_so_long_generations_are_not_cut()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "LlamaCpp"), ("Endpoint", "http://127.0.0.1:1")));
        await using var provider = services.BuildServiceProvider();
        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(OpenModelServiceCollectionExtensions.HttpClientNamePrefix + Options.DefaultName);
        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task Unknown_keys_and_bad_values_are_reported_by_full_path()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "LlamaCpp"), ("Endpont", "http://x"), ("Endpoint", "http://localhost:8080"), ("Timeouts:Idle", "soon"), ("Retry:MaxAttempts", "0")));
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("OpenModel:Endpont is not a known key", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenModel:Timeouts:Idle 'soon' must be a positive duration", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenModel:Retry:MaxAttempts '0' must be a whole number from 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Circuit_breaker_settings_bind_and_bad_values_name_the_key()
    {
        var options = new OpenModelClientOptions();
        OpenModelOptionsBinder.Apply(options, "CircuitBreaker:FailureRatio", "0.25", "OpenModel");
        OpenModelOptionsBinder.Apply(options, "CircuitBreaker:MinimumThroughput", "20", "OpenModel");
        OpenModelOptionsBinder.Apply(options, "CircuitBreaker:SamplingDuration", "00:01:00", "OpenModel");
        OpenModelOptionsBinder.Apply(options, "CircuitBreaker:BreakDuration", "00:00:05", "OpenModel");
        Assert.Empty(options.BindingErrors);
        var profile = OpenModelResilienceProfile.For(options);
        Assert.Equal((true, 0.25, 20, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)), (profile.CircuitBreakerEnabled, profile.FailureRatio, profile.MinimumThroughput, profile.SamplingDuration, profile.BreakDuration));

        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(
            ("Provider", "LlamaCpp"), ("Endpoint", "http://localhost:8080"), ("CircuitBreaker:FailureRatio", "1.5"), ("CircuitBreaker:MinimumThroughput", "1"), ("CircuitBreaker:BreakDuration", "00:00:00.100")));
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("OpenModel:CircuitBreaker:FailureRatio '1.5' must be a number greater than 0 and at most 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenModel:CircuitBreaker:MinimumThroughput '1' must be a whole number from 2 to 1000", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenModel:CircuitBreaker:BreakDuration '00:00:00.1000000' is too short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_limits_bind_from_configuration_and_bad_values_name_the_key()
    {
        var options = new OpenModelClientOptions();
        OpenModelOptionsBinder.Apply(options, "Limits:MaxLineBytes", "1048576", "OpenModel");
        OpenModelOptionsBinder.Apply(options, "Limits:MaxBodyBytes", "2097152", "OpenModel");
        OpenModelOptionsBinder.Apply(options, "Limits:MaxStreamBytes", "3145728", "OpenModel");
        Assert.Empty(options.BindingErrors);
        Assert.Equal((1048576, 2097152L, 3145728L), (options.Limits.MaxLineBytes, options.Limits.MaxBodyBytes, options.Limits.MaxStreamBytes));

        var services = new ServiceCollection();
        services.AddOpenModelChatClient(Section(("Provider", "LlamaCpp"), ("Endpoint", "http://localhost:8080"), ("Limits:MaxLineBytes", "0"), ("Limits:MaxStreamBytes", "1GB")));
        await using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("OpenModel:Limits:MaxLineBytes '0' must be a whole number of bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenModel:Limits:MaxStreamBytes '1GB' must be a whole number of bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinite_is_accepted_for_the_total_timeout()
    {
        var options = new OpenModelClientOptions();
        OpenModelOptionsBinder.Apply(options, "Timeouts:Total", "Infinite", "OpenModel");
        Assert.Equal(Timeout.InfiniteTimeSpan, options.Timeouts.Total);
        Assert.Empty(options.BindingErrors);
    }
}
