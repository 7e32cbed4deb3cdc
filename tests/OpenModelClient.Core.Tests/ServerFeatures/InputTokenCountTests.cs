using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Exact input-token counts before sending, over recorded transcripts and hand-made answers; the live checks are in
/// <see cref="InputTokenCountLiveTests"/>.</summary>
public sealed class InputTokenCountTests
{
    private const string Provider = "llama.cpp-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AIFunctionDeclaration GetWeather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Get the current weather for a city", JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private static ChatMessage[] Conversation => [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is the weather in Paris?")];

    private static ChatOptions Options => new() { Tools = [GetWeather], MaxOutputTokens = 2, Seed = 3 };

    /// <summary>llama-server's answer to the empty <c>/tokenize</c> that wakes a sleeping model before a count.</summary>
    private static ReplayResponse Wake => ReplayResponse.Json(200, """{"tokens":[]}""");

    [Fact]
    public async Task LlamaCpp_wakes_the_model_with_an_empty_tokenize_before_counting_and_counts_even_if_that_fails()
    {
        await using var server = await ReplayServer.StartAsync(
            Wake,
            ReplayResponse.FromFixture(Provider, "input-tokens-with-tools"),
            ReplayResponse.FromFixture("llama.cpp", "error-404-unknown-route-post"),
            ReplayResponse.FromFixture(Provider, "input-tokens-with-tools"));
        using var client = new LlamaCppChatClient(server.BaseAddress, "tiny");
        var counter = client.GetService<IInputTokenCounter>()!;

        Assert.Equal(178, (await counter.CountInputTokensAsync(Conversation, Options, Ct)).InputTokens);
        Assert.Equal(178, (await counter.CountInputTokensAsync(Conversation, Options, Ct)).InputTokens); // its wake got a 404

        Assert.Equal(["/tokenize", "/v1/chat/completions/input_tokens", "/tokenize", "/v1/chat/completions/input_tokens"], server.Requests.Select(r => r.PathAndQuery));
        JsonAssert.Equal("""{"content":"","add_special":false,"model":"tiny"}""", server.Requests[0].BodyJson!);
    }

    [Fact]
    public async Task LlamaCpp_counts_with_the_chat_body_it_would_send_and_reads_the_recorded_answer()
    {
        await using var server = await ReplayServer.StartAsync(Wake, ReplayResponse.FromFixture(Provider, "input-tokens-with-tools"), ReplayResponse.FromFixture(Provider, "input-tokens-same-request-usage"));
        using var client = new LlamaCppChatClient(server.BaseAddress);
        var counter = client.GetService<IInputTokenCounter>();
        Assert.NotNull(counter);

        var count = await counter.CountInputTokensAsync(Conversation, Options, Ct);
        var response = await client.GetResponseAsync(Conversation, Options, Ct);

        Assert.True(count.IsAvailable);
        Assert.Equal(178, count.InputTokens);
        Assert.Equal(response.Usage!.InputTokenCount, count.InputTokens); // the recorded server's own prompt_tokens for the same request
        Assert.Equal("llama.cpp /v1/chat/completions/input_tokens", count.Source);
        Assert.Equal("/tokenize", server.Requests[0].PathAndQuery); // wakes a sleeping model first (see the wake test)
        Assert.Equal("/v1/chat/completions/input_tokens", server.Requests[1].PathAndQuery);
        JsonAssert.Equal(server.Requests[2].BodyJson!, server.Requests[1].BodyJson!); // exactly the body the chat call sent
    }

    [Fact]
    public async Task A_server_without_the_endpoint_gives_an_unavailable_count_not_an_estimate()
    {
        await using var server = await ReplayServer.StartAsync(Wake, ReplayResponse.FromFixture("llama.cpp", "error-404-unknown-route-post"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var count = await client.GetService<IInputTokenCounter>()!.CountInputTokensAsync(Conversation, Options, Ct);

        Assert.False(count.IsAvailable);
        Assert.Null(count.InputTokens);
        Assert.Contains("404", count.UnavailableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_the_server_refuses_is_its_typed_error()
    {
        await using var server = await ReplayServer.StartAsync(Wake, ReplayResponse.FromFixture(Provider, "input-tokens-error-400-messages-not-array"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        await Assert.ThrowsAsync<InvalidRequestException>(() => client.GetService<IInputTokenCounter>()!.CountInputTokensAsync(Conversation, Options, Ct));
    }

    [Fact]
    public async Task Vllm_counts_with_the_chat_form_of_tokenize()
    {
        // vLLM's documented answer (TokenizeResponse: count, max_model_len, tokens); no vLLM server was available to record one.
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, """{"count":23,"max_model_len":4096,"tokens":[1,2,3]}"""));
        using var client = new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), "qwen3", options: new OpenAICompatibleClientOptions { Preset = OpenAICompatiblePreset.Vllm });

        var count = await client.GetService<IInputTokenCounter>()!.CountInputTokensAsync(Conversation, Options, Ct);

        Assert.Equal(23, count.InputTokens);
        Assert.Equal(4096, count.ContextLength);
        Assert.Equal("vllm /tokenize", count.Source);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/tokenize", request.PathAndQuery);
        var body = request.BodyJson!.AsObject();
        Assert.Equal(["model", "messages", "tools"], body.Select(p => p.Key).Where(k => k is "model" or "messages" or "tools"));
        Assert.DoesNotContain("max_tokens", body.Select(p => p.Key));
        Assert.Equal("qwen3", (string?)body["model"]);
    }

    [Fact]
    public void Clients_whose_server_cannot_count_offer_no_counter()
    {
        using var generic = new OpenAICompatibleChatClient(new Uri("http://127.0.0.1:9/v1"), "m");
        using var deepseek = new DeepSeekChatClient(new Uri("http://127.0.0.1:9/"), DeepSeekModels.Flash, options: new DeepSeekChatClientOptions { ApiKey = "sk-test" });

        Assert.Null(generic.GetService<IInputTokenCounter>());
        Assert.Null(deepseek.GetService<IInputTokenCounter>());
    }

    [Fact]
    public async Task The_guard_fails_a_request_that_cannot_fit_before_sending_it()
    {
        // Recorded: a 2048-token context per slot (props) and a count of 2048 (an answer made from the recorded shape).
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp", "props"),
            Wake,
            ReplayResponse.Json(200, """{"input_tokens":2048,"object":"response.input_tokens"}"""));
        using var client = new CapabilityGuardChatClient(new LlamaCppChatClient(server.BaseAddress)) { CheckContextLength = true };

        var e = await Assert.ThrowsAsync<ContextLengthExceededException>(() => client.GetResponseAsync(Conversation, Options, Ct));

        Assert.Equal(2048, e.PromptTokenCount);
        Assert.Equal(2048, e.ContextLength);
        Assert.Null(e.StatusCode); // refused here, not by the server
        Assert.Equal("context_length_exceeded", e.ErrorCode);
        Assert.DoesNotContain(server.Requests, r => r.PathAndQuery == "/v1/chat/completions");
    }

    [Fact]
    public async Task The_guard_lets_a_request_that_fits_through_and_an_unavailable_count_too()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp", "props"),
            Wake,
            ReplayResponse.Json(200, """{"input_tokens":2047,"object":"response.input_tokens"}"""),
            ReplayResponse.FromFixture(Provider, "input-tokens-same-request-usage"),
            Wake,
            ReplayResponse.FromFixture("llama.cpp", "error-404-unknown-route-post"),
            ReplayResponse.FromFixture(Provider, "input-tokens-same-request-usage"));
        using var client = new CapabilityGuardChatClient(new LlamaCppChatClient(server.BaseAddress)) { CheckContextLength = true };

        await client.GetResponseAsync(Conversation, Options, Ct);
        await client.GetResponseAsync(Conversation, Options, Ct);

        Assert.Equal(2, server.Requests.Count(r => r.PathAndQuery == "/v1/chat/completions"));
    }
}
