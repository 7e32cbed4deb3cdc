using System.Net;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.LlamaCpp;

/// <summary>One test per recorded management scenario: health, props, models, slots, metrics, tokenization, templates.</summary>
public class LlamaCppServerFixtureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("health-ok")]
    [InlineData("v1-health-ok")]
    [InlineData("auth-health-without-key")]
    public async Task Health_ok_means_ready(string scenario)
    {
        await using var server = await ServeAsync(scenario);
        using var client = Client(server);
        var health = await client.Server.GetHealthAsync(Ct);
        Assert.True(health.IsReady);
        Assert.Equal("ok", health.Status);
        Assert.Equal("/health", server.Requests[0].PathAndQuery);
        Assert.False(server.Requests[0].Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("health-503-loading")]
    [InlineData("auth-health-503-loading")]
    [InlineData("embeddings-health-503-loading")]
    public async Task Health_503_loading_is_an_answer_not_an_error(string scenario)
    {
        await using var server = await ServeAsync(scenario);
        using var client = Client(server);
        var health = await client.Server.GetHealthAsync(Ct);
        Assert.False(health.IsReady);
        Assert.Equal("Loading model", health.Message);
        Assert.Equal("unavailable_error", health.Status);
    }

    [Fact]
    public async Task WaitUntilReady_polls_through_loading_until_ok()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "health-503-loading"),
            ReplayResponse.FromFixture(Provider, "health-503-loading"),
            ReplayResponse.FromFixture(Provider, "health-ok"));
        using var client = Client(server);
        await client.Server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10), Ct);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task WaitUntilReady_times_out_with_the_last_answer()
    {
        await using var server = await ReplayServer.StartAsync([.. Enumerable.Repeat(ReplayResponse.FromFixture(Provider, "health-503-loading"), 50)]);
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.Server.WaitUntilReadyAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20), Ct));
        Assert.Contains("Loading model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitUntilReady_waits_for_a_server_that_is_not_listening_yet_then_times_out_clearly()
    {
        using var client = new LlamaCppChatClient(new Uri("http://127.0.0.1:1"));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.Server.WaitUntilReadyAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), Ct));
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task props()
    {
        await using var server = await ServeAsync("props");
        using var client = Client(server);
        var props = await client.Server.GetPropertiesAsync(Ct);
        Assert.Equal(2048, props.ContextLength);
        Assert.Equal(4, props.TotalSlots);
        Assert.Equal(TinyQwen, props.ModelPath);
        Assert.Equal("b10309-82bb485", props.BuildInfo);
        Assert.False(props.SupportsVision);
        Assert.True(props.SupportsToolCalls);
        Assert.False(props.SupportsPreserveReasoning);
        Assert.True(props.ChatTemplateCapabilities["supports_parallel_tool_calls"]);
        Assert.StartsWith("{%- if tools %}", props.ChatTemplate, StringComparison.Ordinal);
        Assert.False(props.IsSleeping);
    }

    [Fact]
    public async Task reasoning_props()
    {
        await using var server = await ServeAsync("reasoning-props");
        using var client = Client(server);
        var props = await client.Server.GetPropertiesAsync(Ct);
        Assert.Equal(TinyDeepSeek, props.ModelPath);
        Assert.Contains("add_generation_prompt", props.ChatTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task embeddings_props()
    {
        await using var server = await ServeAsync("embeddings-props");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress);
        var props = await generator.Server.GetPropertiesAsync(Ct);
        Assert.Equal("/opt/gguf/models/llama-2-tiny-random.gguf", props.ModelPath);
        Assert.False(props.SupportsToolCalls);
    }

    [Fact]
    public async Task auth_props_without_key()
    {
        await using var server = await ServeAsync("auth-props-without-key");
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => client.Server.GetPropertiesAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Theory]
    [InlineData("models", TinyQwen, 2048L, 4096L)]
    [InlineData("models-legacy-path", TinyQwen, 2048L, 4096L)]
    [InlineData("auth-models-without-key", TinyQwen, 2048L, 4096L)]
    [InlineData("reasoning-models", TinyDeepSeek, 2048L, 4096L)]
    [InlineData("embeddings-models", "/opt/gguf/models/llama-2-tiny-random.gguf", 2048L, 4096L)]
    public async Task Models_list_the_one_served_model(string scenario, string id, long contextLength, long trainingContext)
    {
        await using var server = await ServeAsync(scenario);
        using var client = Client(server);
        var model = Assert.Single(await client.Server.ListModelsAsync(Ct));
        Assert.Equal(id, model.Id);
        Assert.Equal("llamacpp", model.OwnedBy);
        Assert.Equal(contextLength, model.ContextLength);
        Assert.Equal(trainingContext, model.TrainingContextLength);
        Assert.Equal(32000, model.VocabularySize);
        Assert.Equal(8, model.EmbeddingLength);
        Assert.Equal("/v1/models", server.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task slots()
    {
        await using var server = await ServeAsync("slots");
        using var client = Client(server);
        var slots = await client.Server.GetSlotsAsync(Ct);
        Assert.Equal(4, slots.Count);
        Assert.All(slots, s => Assert.False(s.GetProperty("is_processing").GetBoolean()));
        Assert.Equal(2048, slots[3].GetProperty("n_ctx").GetInt32());
    }

    [Fact]
    public async Task metrics()
    {
        await using var server = await ServeAsync("metrics");
        using var client = Client(server);
        var text = await client.Server.GetMetricsAsync(Ct);
        Assert.Contains("# TYPE llamacpp:prompt_tokens_total counter", text, StringComparison.Ordinal);
        Assert.Contains("llamacpp:tokens_predicted_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task tokenize()
    {
        await using var server = await ServeAsync("tokenize");
        using var client = Client(server);
        var tokens = await client.Server.TokenizeAsync("Hello world! <tool_call>", cancellationToken: Ct);
        Assert.Equal([10994, 3186, 29991, 29871, 31993], tokens);
        JsonAssert.Equal("""{"content":"Hello world! <tool_call>","add_special":false,"parse_special":true,"with_pieces":false}""", server.Requests[0].BodyJson);
    }

    [Fact]
    public async Task tokenize_with_pieces()
    {
        await using var server = await ServeAsync("tokenize-with-pieces");
        using var client = Client(server);
        var tokens = await client.Server.TokenizeWithPiecesAsync("Hello world!", addSpecial: true, cancellationToken: Ct);
        Assert.Equal([new LlamaCppToken(1, "<s>"), new LlamaCppToken(10994, "Hello"), new LlamaCppToken(3186, " world"), new LlamaCppToken(29991, "!")], tokens);
    }

    [Fact]
    public async Task detokenize()
    {
        await using var server = await ServeAsync("detokenize");
        using var client = Client(server);
        var text = await client.Server.DetokenizeAsync([1, 15043, 3186, 29991], Ct);
        Assert.Equal("<s> Hello world!", text);
        AssertSentFixtureRequest(server, "detokenize");
    }

    [Fact]
    public async Task apply_template()
    {
        await using var server = await ServeAsync("apply-template");
        using var client = Client(server);
        var prompt = await client.Server.ApplyTemplateAsync([new(ChatRole.System, "You are a helpful assistant."), new(ChatRole.User, "Say hello in one short sentence.")], Ct);
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nSay hello in one short sentence.<|im_end|>\n<|im_start|>assistant\n", prompt);
        AssertSentFixtureRequest(server, "apply-template");
    }

    [Fact]
    public async Task Metadata_names_the_real_provider_endpoint_and_model()
    {
        using var client = new LlamaCppChatClient(new Uri("http://localhost:8080/v1/"), "my-model");
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal("llama.cpp", metadata.ProviderName);
        Assert.Equal(new Uri("http://localhost:8080/"), metadata.ProviderUri);
        Assert.Equal("my-model", metadata.DefaultModelId);
        Assert.Same(client.Server, client.GetService<LlamaCppServer>());
        await Task.CompletedTask;
    }
}
