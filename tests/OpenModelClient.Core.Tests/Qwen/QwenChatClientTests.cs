using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.TestDoubles;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.Qwen;

/// <summary>Model Studio's wire shapes replayed over a real socket; fixtures in Fixtures/qwen (see its README).</summary>
public class QwenChatClientTests
{
    private const string Provider = "qwen";
    private const string Key = "sk-test-dashscope-key";
    private const string ChatPath = "/compatible-mode/v1/chat/completions";

    private static QwenChatClient Client(ReplayServer server, string model = "qwen-plus", QwenChatClientOptions? options = null)
    {
        options ??= new QwenChatClientOptions();
        options.ApiKey ??= Key;
        return new QwenChatClient(server.BaseAddress, model, null, options);
    }

    private static ChatOptions Effort(ReasoningEffort effort) => new() { Reasoning = new ReasoningOptions { Effort = effort } };

    [Fact]
    public async Task Commercial_model_returns_reasoning_without_streaming()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-reasoning-nonstream"));
        using var client = Client(server);

        var response = await client.GetResponseAsync("17 × 23?", Effort(ReasoningEffort.High), Ct);

        Assert.Equal("391", response.Text);
        Assert.Equal("Okay, so I need to calculate 17 multiplied by 23…", ReasoningText(response));
        Assert.Equal(496, response.Usage!.ReasoningTokenCount);
        Assert.Equal(528, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.CachedInputTokenCount);
        Assert.Equal("chatcmpl-f5f046ac-bc79-9446-a6d8-73d306abbdc7", response.ResponseId);

        var request = Assert.Single(server.Requests);
        Assert.Equal(ChatPath, request.PathAndQuery);
        Assert.Equal($"Bearer {Key}", request.Headers["Authorization"]);
        JsonAssert.Equal("""{"enable_thinking":true,"thinking_budget":16384}""", Extras(request));
    }

    [Theory]
    [InlineData("qwen3.5-plus")]
    [InlineData("qwen3.6-plus")]
    [InlineData("qwen3-8b")]
    public async Task Effort_None_turns_thinking_off_without_a_budget_on_models_that_think_by_default(string model)
    {
        await using var server = await ReplayServer.StartAsync(Answer(), Answer());
        using var client = new QwenChatClient(new Uri(server.BaseAddress, "compatible-mode/v1"), model, options: new() { ApiKey = Key });

        await client.GetResponseAsync("Hi", Effort(ReasoningEffort.None), Ct);

        var body = Assert.Single(server.Requests).BodyJson!;
        Assert.False(body["enable_thinking"]!.GetValue<bool>());
        Assert.False(body.AsObject().ContainsKey("thinking_budget"));
        Assert.NotEqual(true, (bool?)body["stream"]);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, """{"enable_thinking":false}""")]
    [InlineData(ReasoningEffort.Low, """{"enable_thinking":true,"thinking_budget":1024}""")]
    [InlineData(ReasoningEffort.Medium, """{"enable_thinking":true,"thinking_budget":4096}""")]
    [InlineData(ReasoningEffort.High, """{"enable_thinking":true,"thinking_budget":16384}""")]
    [InlineData(ReasoningEffort.ExtraHigh, """{"enable_thinking":true}""")]
    public async Task Reasoning_effort_maps_to_enable_thinking_and_thinking_budget(ReasoningEffort effort, string expected)
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        await client.GetResponseAsync("Hi", Effort(effort), Ct);
        JsonAssert.Equal(expected, Extras(Assert.Single(server.Requests)));
    }

    [Fact]
    public async Task Streamed_tool_call_fragments_with_repeated_empty_ids_assemble_into_one_call_with_usage()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-tool-call-stream"));
        using var client = Client(server, "qwen3-max");

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Weather in SF?", new ChatOptions { Tools = [GetWeather] }, Ct));

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_eee11723464a4b9eb8cee71d", call.CallId);
        Assert.Equal("weather", call.Name);
        Assert.Equal("San Francisco", call.Arguments!["location"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Single(u => u.FinishReason is not null).FinishReason);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(295, usage.InputTokenCount);
        Assert.Equal(22, usage.OutputTokenCount);
        Assert.Equal(317, usage.TotalTokenCount);

        var body = Assert.Single(server.Requests).BodyJson!;
        JsonAssert.Equal("""{"include_usage":true}""", body["stream_options"]);
        Assert.Equal("get_weather", body["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_that_thinks_only_when_streamed_is_streamed_and_aggregated_for_GetResponseAsync()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-open-source-thinking-stream"));
        using var client = Client(server, "qwen3-32b");

        var response = await client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("Hello! How can I help?", response.Text);
        Assert.Equal("Okay, the user said hi. A short greeting back.", ReasoningText(response));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(30, response.Usage.ReasoningTokenCount);
        Assert.Equal("chatcmpl-4d3e2f10-ab9c-9876-d543-210fedcba987", response.ResponseId);
        Assert.Equal("qwen", ReasoningProvenance.GetProvider(response.Messages[0].Contents.OfType<TextReasoningContent>().First()));

        var body = Assert.Single(server.Requests).BodyJson!;
        Assert.True(body["stream"]!.GetValue<bool>());
        JsonAssert.Equal("""{"include_usage":true}""", body["stream_options"]);
    }

    [Fact]
    public async Task A_stream_only_model_with_thinking_off_is_not_streamed()
    {
        await using var server = await ReplayServer.StartAsync(Answer(), Answer());
        using var client = Client(server, "qwen3-32b");

        await client.GetResponseAsync("hi", Effort(ReasoningEffort.None), Ct);
        await client.GetResponseAsync("hi", new ChatOptions { AdditionalProperties = new() { ["enable_thinking"] = false } }, Ct);

        Assert.All(server.Requests, r => Assert.False(r.BodyJson!.AsObject().ContainsKey("stream")));
        Assert.False(server.Requests[0].BodyJson!["enable_thinking"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("qwq-plus")]
    [InlineData("qwen3-235b-a22b-thinking-2507")]
    [InlineData("qwen3-next-80b-a3b-thinking")]
    public async Task Thinking_only_models_are_streamed_too(string model)
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-open-source-thinking-stream"));
        using var client = Client(server, model);
        await client.GetResponseAsync("hi", cancellationToken: Ct);
        Assert.True(Assert.Single(server.Requests).BodyJson!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Instruct_and_commercial_models_are_not_streamed_even_when_thinking()
    {
        await using var server = await ReplayServer.StartAsync(Answer(), Answer());
        using var client = Client(server, "qwen3-235b-a22b-instruct-2507");

        await client.GetResponseAsync("hi", cancellationToken: Ct);
        await client.GetResponseAsync("hi", new ChatOptions { ModelId = "qwen-plus", Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } }, Ct);

        Assert.All(server.Requests, r => Assert.False(r.BodyJson!.AsObject().ContainsKey("stream")));
    }

    [Fact]
    public async Task Thinking_mode_tool_loop_sends_the_current_turns_reasoning_back_and_strips_earlier_turns()
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture(Provider, "chat-thinking-tool-call-stream"),
            Fixture(Provider, "chat-thinking-final-stream"));
        var tool = AIFunctionFactory.Create((string city, string unit) => "Sunny, 21 C", "get_weather");
        using var client = new ChatClientBuilder(Client(server, "qwen3.5-plus")).UseFunctionInvocation().Build();
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("A greeting; reply in kind.") { AdditionalProperties = new() { [ReasoningProvenance.ProviderKey] = "qwen" } }, new TextContent("Hello!")]),
            new(ChatRole.User, "What is the weather in Paris?"),
        ];

        var updates = await CollectAsync(client.GetStreamingResponseAsync(history, new ChatOptions { Tools = [tool], Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, Ct));

        Assert.Equal("It is sunny and 21 °C in Paris.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(2, server.Requests.Count);
        JsonAssert.Equal("""
            [
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":"Hello!"},
              {"role":"user","content":"What is the weather in Paris?"},
              {"role":"assistant","content":null,"reasoning_content":"The user asks for the weather. I will call get_weather for Paris.",
               "tool_calls":[{"id":"call_1f2e3d4c5b6a798897a6b5c4","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"celsius\"}"}}]},
              {"role":"tool","tool_call_id":"call_1f2e3d4c5b6a798897a6b5c4","content":"Sunny, 21 C"}
            ]
            """, Messages(server.Requests[1]));
        Assert.True(server.Requests[1].BodyJson!["enable_thinking"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Preserve_thinking_on_a_supporting_model_sends_every_turns_reasoning()
    {
        await using var server = await ReplayServer.StartAsync(Answer(), Answer());
        using var client = Client(server, "qwen3.7-max", new QwenChatClientOptions { PreserveThinking = true });
        ChatMessage[] history =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("greet back"), new TextContent("Hello!")]),
            new(ChatRole.User, "And now?"),
        ];

        await client.GetResponseAsync(history, cancellationToken: Ct);
        await client.GetResponseAsync(history, new ChatOptions { ModelId = "qwen-plus" }, Ct);

        var preserved = server.Requests[0].BodyJson!;
        Assert.True(preserved["preserve_thinking"]!.GetValue<bool>());
        Assert.Equal("greet back", preserved["messages"]![1]!["reasoning_content"]!.GetValue<string>());
        var plain = server.Requests[1].BodyJson!.AsObject();
        Assert.False(plain.ContainsKey("preserve_thinking"));
        Assert.False(plain["messages"]![1]!.AsObject().ContainsKey("reasoning_content"));
    }

    [Fact]
    public async Task Enable_search_is_typed_per_client_and_overridable_through_additional_properties()
    {
        await using var server = await ReplayServer.StartAsync(Answer(), Answer());
        using var client = Client(server, options: new QwenChatClientOptions { EnableSearch = true, VlHighResolutionImages = true });

        await client.GetResponseAsync("News?", cancellationToken: Ct);
        await client.GetResponseAsync("News?", new ChatOptions { AdditionalProperties = new() { ["enable_search"] = false, ["search_options"] = new Dictionary<string, object> { ["forced_search"] = true } } }, Ct);

        JsonAssert.Equal("""{"enable_search":true,"vl_high_resolution_images":true}""", Extras(server.Requests[0]));
        JsonAssert.Equal("""{"enable_search":false,"vl_high_resolution_images":true,"search_options":{"forced_search":true}}""", Extras(server.Requests[1]));
    }

    [Fact]
    public async Task Json_schema_is_native_on_3_7_and_3_8_and_becomes_instructions_elsewhere()
    {
        await using var server = await ReplayServer.StartAsync(Answer("{}"), Answer("{}"));
        var logs = new CapturingLoggerFactory();
        using var client = Client(server, "qwen3.8-flash", new QwenChatClientOptions { LoggerFactory = logs });
        var schema = JsonElement.Parse("""{"type":"object","properties":{"n":{"type":"integer"}}}""");
        var format = ChatResponseFormat.ForJsonSchema(schema, "number");

        await client.GetResponseAsync("Pick a number.", new ChatOptions { ResponseFormat = format }, Ct);
        await client.GetResponseAsync("Pick a number.", new ChatOptions { ResponseFormat = format, ModelId = "qwen-plus" }, Ct);

        Assert.Equal("json_schema", server.Requests[0].BodyJson!["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("json_object", server.Requests[1].BodyJson!["response_format"]!["type"]!.GetValue<string>());
        Assert.StartsWith("Respond only with a JSON object", server.Requests[1].BodyJson!["messages"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(logs.Warnings, w => w.Contains("'qwen-plus'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Frequency_penalty_is_dropped_with_a_warning()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        var logs = new CapturingLoggerFactory();
        using var client = Client(server, options: new QwenChatClientOptions { LoggerFactory = logs });
        await client.GetResponseAsync("Hi", new ChatOptions { FrequencyPenalty = 0.5f, PresencePenalty = 0.5f, TopK = 20 }, Ct);
        JsonAssert.Equal("""{"presence_penalty":0.5,"top_k":20}""", Extras(Assert.Single(server.Requests)));
        Assert.Single(logs.Warnings, w => w.Contains("'frequency_penalty'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Content_inspection_failure_throws_content_filtered_with_the_body_request_id()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-400-data-inspection-failed"));
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<ContentFilteredException>(() => client.GetResponseAsync("…", cancellationToken: Ct));
        Assert.Equal("data_inspection_failed", e.ErrorCode);
        Assert.Equal("5e4f3a21-bc0d-9987-e654-3210fedcba98", e.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
    }

    [Fact]
    public async Task Insufficient_quota_429_is_a_transient_rate_limit_with_the_header_request_id()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-429-insufficient-quota"));
        using var client = Client(server);
        var (_, error) = await CollectCapturingAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));
        var e = Assert.IsType<RateLimitedException>(error);
        Assert.True(e.IsTransient);
        Assert.Equal("insufficient_quota", e.ErrorCode);
        Assert.Equal("6f5a4b32-cd1e-9098-f765-43210fedcba9", e.RequestId);
    }

    [Fact]
    public async Task Enable_thinking_rejected_for_a_non_streamed_call_is_an_invalid_request()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-400-enable-thinking-non-streaming"));
        using var client = Client(server, "some-new-open-model");
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => client.GetResponseAsync("Hi", Effort(ReasoningEffort.Low), Ct));
        Assert.Equal("parameter.enable_thinking must be set to false for non-streaming calls", e.ProviderMessage);
        Assert.Equal("7a6b5c43-de2f-9109-a876-543210fedcba", e.RequestId);
    }

    [Fact]
    public async Task A_wrong_region_key_401_says_which_url_was_called_and_never_shows_the_key()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-401-invalid-api-key"));
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        Assert.Contains("only in the region", e.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(server.BaseAddress, "compatible-mode/v1/").ToString(), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_api_key", e.ErrorCode);
        Assert.Equal("8b7c6d54-ef30-9210-b987-6543210fedcb", e.RequestId);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }
}
