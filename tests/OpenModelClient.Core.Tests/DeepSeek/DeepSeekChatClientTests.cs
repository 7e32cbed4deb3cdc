using System.Net;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.TestDoubles;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.DeepSeek;

/// <summary>DeepSeek's wire shapes replayed over a real socket; fixtures in Fixtures/deepseek (see its README).</summary>
public class DeepSeekChatClientTests
{
    private const string Provider = "deepseek";
    private const string Key = "sk-test-deepseek-key";
    private const string TraceId = "5c1a2b3d4e5f60718293a4b5c6d7e8f9";

    private static DeepSeekChatClient Client(ReplayServer server, string model = DeepSeekModels.Flash, CapturingLoggerFactory? logs = null) =>
        new(server.BaseAddress, model, null, new DeepSeekChatClientOptions { ApiKey = Key, LoggerFactory = logs });

    [Fact]
    public void Defaults_to_the_hosted_endpoint_and_reports_deepseek()
    {
        using var client = new DeepSeekChatClient(DeepSeekModels.V4Pro);
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal(new Uri("https://api.deepseek.com/"), metadata.ProviderUri);
        Assert.Equal("deepseek", metadata.ProviderName);
        Assert.Equal("deepseek-v4-pro", metadata.DefaultModelId);
        Assert.Null(client.GetService<ChatClientMetadata>("key"));
    }

    [Fact]
    public void A_missing_model_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new DeepSeekChatClient(" "));

    [Fact]
    public async Task Non_streamed_reply_maps_text_usage_and_cache_figures()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-nonstream"));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal("Hello! How can I assist you today? 😊", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("48ad6b6e-b2f7-4059-b9cf-aa5d966f8f22", response.ResponseId);
        Assert.Equal("deepseek-chat", response.ModelId);
        Assert.Equal(10, response.Usage!.InputTokenCount);
        Assert.Equal(11, response.Usage.OutputTokenCount);
        Assert.Equal(21, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.CachedInputTokenCount);
        Assert.Equal(10, response.Usage.AdditionalCounts![UsageCountKeys.CacheMissInputTokens]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/chat/completions", request.PathAndQuery);
        Assert.Equal($"Bearer {Key}", request.Headers["Authorization"]);
        JsonAssert.Equal("""{"model":"deepseek-flash","messages":[{"role":"user","content":"Hi"}]}""", request.BodyJson);
    }

    [Fact]
    public async Task An_endpoint_with_v1_keeps_it_in_the_request_path()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = new DeepSeekChatClient(new Uri(server.BaseAddress, "v1"), DeepSeekModels.Flash);
        await client.GetResponseAsync("Hi", cancellationToken: Ct);
        Assert.Equal("/v1/chat/completions", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Blank_lines_sent_while_queued_before_a_non_streamed_body_are_skipped()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-thinking-nonstream-queued"));
        using var client = Client(server);

        var response = await client.GetResponseAsync("17 × 23?", cancellationToken: Ct);

        Assert.Equal("391", response.Text);
        var reasoning = Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal("17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391.", reasoning.Text);
        Assert.Equal("deepseek", ReasoningProvenance.GetProvider(reasoning));
        Assert.Equal(1152, response.Usage!.CachedInputTokenCount);
        Assert.Equal(81, response.Usage.ReasoningTokenCount);
        Assert.Equal(48, response.Usage.AdditionalCounts![UsageCountKeys.CacheMissInputTokens]);
    }

    [Fact]
    public async Task Keep_alive_comments_are_skipped_and_reasoning_text_and_finish_chunk_usage_stream()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-reasoning-stream-keepalive"));
        using var client = Client(server);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("One character, please.", cancellationToken: Ct));

        Assert.Equal("好的，用户想要一个字。", ReasoningText(updates));
        Assert.Equal("纱", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.Last(u => u.FinishReason is not null).FinishReason);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(1552, usage.OutputTokenCount);
        Assert.Equal(199, usage.ReasoningTokenCount);
        Assert.All(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>(), r => Assert.Equal("deepseek", ReasoningProvenance.GetProvider(r)));

        var body = Assert.Single(server.Requests).BodyJson!;
        Assert.True(body["stream"]!.GetValue<bool>());
        JsonAssert.Equal("""{"include_usage":true}""", body["stream_options"]);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, """{"thinking":{"type":"disabled"}}""")]
    [InlineData(ReasoningEffort.Low, """{"thinking":{"type":"enabled"},"reasoning_effort":"low"}""")]
    [InlineData(ReasoningEffort.Medium, """{"thinking":{"type":"enabled"},"reasoning_effort":"high"}""")]
    [InlineData(ReasoningEffort.High, """{"thinking":{"type":"enabled"},"reasoning_effort":"high"}""")]
    [InlineData(ReasoningEffort.ExtraHigh, """{"thinking":{"type":"enabled"},"reasoning_effort":"max"}""")]
    public async Task Reasoning_effort_maps_to_the_thinking_switch_and_reasoning_effort(ReasoningEffort effort, string expected)
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        await client.GetResponseAsync("Hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } }, Ct);
        JsonAssert.Equal(expected, Extras(Assert.Single(server.Requests)));
    }

    [Fact]
    public async Task Unset_reasoning_sends_no_switch_so_V4_thinks_by_default()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        await client.GetResponseAsync("Hi", new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.Full } }, Ct);
        JsonAssert.Equal("{}", Extras(Assert.Single(server.Requests)));
    }

    [Fact]
    public async Task Thinking_mode_tool_loop_sends_the_reasoning_back_on_the_tool_call_turn()
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture(Provider, "chat-thinking-tool-call-stream"),
            Fixture(Provider, "chat-thinking-final-stream"));
        var calls = new List<string>();
        var tool = AIFunctionFactory.Create((string city, string unit) => { calls.Add($"{city}/{unit}"); return "Sunny, 21 C"; }, "get_weather");
        using var client = new ChatClientBuilder(Client(server)).UseFunctionInvocation().Build();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("What is the weather in Paris?", new ChatOptions { Tools = [tool] }, Ct));

        Assert.Equal(["Paris/celsius"], calls);
        Assert.Equal("It is sunny and 21 °C in Paris.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(2, server.Requests.Count);
        JsonAssert.Equal("""
            [
              {"role":"user","content":"What is the weather in Paris?"},
              {"role":"assistant","content":null,"reasoning_content":"The user wants the weather in Paris. I should call get_weather.",
               "tool_calls":[{"id":"call_00_Xq8vJ2mN4pL6rT0sW3yZ5bC7","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"celsius\"}"}}]},
              {"role":"tool","tool_call_id":"call_00_Xq8vJ2mN4pL6rT0sW3yZ5bC7","content":"Sunny, 21 C"}
            ]
            """, Messages(server.Requests[1]));
    }

    [Fact]
    public async Task Hidden_reasoning_is_back_filled_as_an_empty_string_on_the_tool_call_turn()
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture(Provider, "chat-thinking-tool-call-nonstream"),
            Answer("It is sunny."));
        var tool = AIFunctionFactory.Create((string city, string unit) => "Sunny", "get_weather");
        using var client = new ChatClientBuilder(Client(server)).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [tool], Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } };

        var response = await client.GetResponseAsync("Weather in Paris?", options, Ct);

        Assert.Equal("It is sunny.", response.Text);
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent);
        var assistant = Messages(server.Requests[1])[1]!.AsObject();
        Assert.Equal("", assistant["reasoning_content"]!.GetValue<string>());
        Assert.Equal("call_00_a1B2c3D4e5F6g7H8i9J0k1L2", assistant["tool_calls"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reasoning_from_another_provider_is_replaced_by_an_empty_string_after_a_swap()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        var foreign = new TextReasoningContent("Qwen's private thoughts") { AdditionalProperties = new() { [ReasoningProvenance.ProviderKey] = "qwen" } };
        ChatMessage[] history =
        [
            new(ChatRole.User, "Weather?"),
            new(ChatRole.Assistant, [foreign, new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")]),
        ];

        await client.GetResponseAsync(history, cancellationToken: Ct);

        var assistant = Messages(Assert.Single(server.Requests))[1]!;
        Assert.Equal("", assistant["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_thinking_mode_turn_two_replays_every_assistant_turns_own_reasoning_and_an_empty_string_only_where_none_was_produced()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        ChatMessage[] history =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("greeting"), new TextContent("Hello")]),
            new(ChatRole.User, "And?"),
            new(ChatRole.Assistant, "Nothing more."),
            new(ChatRole.User, "Weather?"),
        ];

        await client.GetResponseAsync(history, cancellationToken: Ct);

        var messages = Messages(Assert.Single(server.Requests));
        Assert.Equal("greeting", messages[1]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("", messages[3]!["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_thinking_off_reasoning_is_not_sent_on_turns_without_tool_calls_and_nothing_is_back_filled()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        ChatMessage[] history =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("greeting"), new TextContent("Hello")]),
            new(ChatRole.User, "Weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")]),
        ];

        await client.GetResponseAsync(history, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } }, Ct);

        var messages = Messages(Assert.Single(server.Requests));
        Assert.False(messages[1]!.AsObject().ContainsKey("reasoning_content"));
        Assert.False(messages[3]!.AsObject().ContainsKey("reasoning_content"));
    }

    [Fact]
    public async Task The_retired_reasoner_gets_no_reasoning_back_and_a_warning_is_logged()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        var logs = new CapturingLoggerFactory();
        using var client = Client(server, "deepseek-reasoner", logs);
        ChatMessage[] history =
        [
            new(ChatRole.User, "Weather?"),
            new(ChatRole.Assistant, [new TextReasoningContent("call the tool"), new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")]),
        ];

        await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.False(Messages(Assert.Single(server.Requests))[1]!.AsObject().ContainsKey("reasoning_content"));
        Assert.Contains(logs.Warnings, w => w.Contains("'deepseek-reasoner' is retired", StringComparison.Ordinal) && w.Contains("deepseek-flash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_json_schema_becomes_json_object_with_the_schema_in_the_instructions_and_a_warning()
    {
        await using var server = await ReplayServer.StartAsync(Answer("{}"));
        var logs = new CapturingLoggerFactory();
        using var client = Client(server, logs: logs);
        var schema = System.Text.Json.JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var options = new ChatOptions
        {
            Instructions = "Be terse.",
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "place", "A city"),
        };

        await client.GetResponseAsync("Where is the Louvre?", options, Ct);

        var body = Assert.Single(server.Requests).BodyJson!;
        JsonAssert.Equal("""{"type":"json_object"}""", body["response_format"]);
        var system = body["messages"]![0]!;
        Assert.Equal("system", system["role"]!.GetValue<string>());
        Assert.Equal(
            "Be terse.\n\nRespond only with a JSON object that conforms to this JSON schema (\"place\": A city):\n" + schema.GetRawText(),
            system["content"]!.GetValue<string>());
        Assert.Equal(2, body["messages"]!.AsArray().Count);
        Assert.Contains(logs.Warnings, w => w.Contains("does not accept a JSON schema", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_mode_adds_an_instruction_only_when_no_message_mentions_json()
    {
        await using var server = await ReplayServer.StartAsync(Answer("{}"), Answer("{}"));
        using var client = Client(server);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.Json };

        await client.GetResponseAsync("List three colours.", options, Ct);
        await client.GetResponseAsync("List three colours as JSON.", options, Ct);

        JsonAssert.Equal("""[{"role":"system","content":"Respond with a JSON object."},{"role":"user","content":"List three colours."}]""", Messages(server.Requests[0]));
        JsonAssert.Equal("""[{"role":"user","content":"List three colours as JSON."}]""", Messages(server.Requests[1]));
    }

    [Fact]
    public async Task TopK_and_seed_are_dropped_with_a_warning_and_deepseek_fields_pass_through()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        var logs = new CapturingLoggerFactory();
        using var client = Client(server, logs: logs);
        var options = new ChatOptions { TopK = 5, Seed = 7, Temperature = 0.3f, AdditionalProperties = new() { ["user_id"] = "tenant_42" } };

        await client.GetResponseAsync("Hi", options, Ct);

        JsonAssert.Equal("""{"temperature":0.3,"user_id":"tenant_42"}""", Extras(Assert.Single(server.Requests)));
        Assert.Equal(2, logs.Warnings.Count(w => w.Contains("does not accept", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Server_busy_503_throws_the_overloaded_error_with_the_trace_id()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-503-server-busy"));
        using var client = Client(server);

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.Equal(TraceId, e.RequestId);
        Assert.Equal("Server is busy, please try again later.", e.ProviderMessage);
    }

    [Fact]
    public async Task Insufficient_system_resource_error_code_throws_the_overloaded_error()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(500, """{"error":{"message":"insufficient system resource","type":"server_error","param":null,"code":"insufficient_system_resource"}}"""));
        using var client = Client(server);
        var (_, error) = await CollectCapturingAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));
        var e = Assert.IsType<ServerOverloadedException>(error);
        Assert.Equal("insufficient_system_resource", e.ErrorCode);
    }

    [Fact]
    public async Task Insufficient_system_resource_finish_reason_in_a_stream_throws_after_the_partial_output()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "chat-insufficient-system-resource-stream"));
        using var client = Client(server);

        var (updates, error) = await CollectCapturingAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));

        // The cut generation never looks finished: the partial text and usage arrive, no finish reason, then a transient error.
        var e = Assert.IsType<ServerOverloadedException>(error);
        Assert.Equal("insufficient_system_resource", e.ErrorCode);
        Assert.True(e.IsTransient);
        Assert.Equal("aa6b5c4d-3e2f-4100-9998-877665544333", e.RequestId);
        Assert.Equal("Partial answer", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Null(u.FinishReason));
        Assert.Equal(3, updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details.OutputTokenCount);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Insufficient_system_resource_finish_reason_in_a_non_streamed_reply_throws_a_transient_error()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(
            200,
            """{"id":"5e1f","object":"chat.completion","created":1764042665,"model":"deepseek-flash","choices":[{"index":0,"message":{"role":"assistant","content":"Partial ans"},"logprobs":null,"finish_reason":"insufficient_system_resource"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""",
            ("x-ds-trace-id", TraceId)));
        using var client = Client(server);

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal("insufficient_system_resource", e.ErrorCode);
        Assert.True(e.IsTransient);
        Assert.Equal("5e1f", e.RequestId);
        Assert.Contains("cut the generation short", e.Message, StringComparison.Ordinal);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Missing_reasoning_content_400_throws_invalid_request_with_deepseeks_message()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-400-reasoning-content-missing"));
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        Assert.Equal("The `reasoning_content` in the thinking mode must be passed back to the API.", e.ProviderMessage);
        Assert.Equal(TraceId, e.RequestId);
    }

    [Fact]
    public async Task Insufficient_balance_and_authentication_failures_are_typed_and_never_show_the_key()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Provider, "error-402-insufficient-balance"), Fixture(Provider, "error-401-authentication"));
        using var client = Client(server);

        var balance = await Assert.ThrowsAsync<OpenModelException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var auth = await Assert.ThrowsAsync<AuthenticationFailedException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(OpenModelErrorKind.InsufficientBalance, balance.Kind);
        Assert.False(balance.IsTransient);
        Assert.Equal(HttpStatusCode.Unauthorized, auth.StatusCode);
        Assert.DoesNotContain(Key, auth.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, balance.Message, StringComparison.Ordinal);
    }
}
