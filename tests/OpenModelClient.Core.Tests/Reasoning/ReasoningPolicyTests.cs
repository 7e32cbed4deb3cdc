using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.Reasoning;

/// <summary>One test per history rule and provenance rule of the reasoning policy (docs/reasoning.md), on the request builder.</summary>
public class ReasoningPolicyTests
{
    private static readonly IChatClient Owner = new OpenAICompatibleChatClient(new Uri("http://127.0.0.1:1/v1"));

    private static FunctionCallContent Call(string id) => new(id, "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" });

    private static TextReasoningContent Thought(string text, string? provider = null) =>
        provider is null ? new(text) : new(text) { AdditionalProperties = new() { [ReasoningProvenance.ProviderKey] = provider } };

    /// <summary>user, assistant (reasoning + text), user, assistant (reasoning + call), tool result.</summary>
    private static ChatMessage[] Conversation(string? provider = null) =>
    [
        new(ChatRole.User, "Hi"),
        new(ChatRole.Assistant, [Thought("r1", provider), new TextContent("Hello")]),
        new(ChatRole.User, "Weather?"),
        new(ChatRole.Assistant, [Thought("r2", provider), Call("c1")]),
        new(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")]),
    ];

    private static JsonArray Build(OpenAICompatibleDialect dialect, ChatMessage[] messages, ChatOptions? options = null, string model = "m") =>
        OpenAICompatibleRequestBuilder.Build(messages, options, model, dialect, stream: false, Owner)["messages"]!.AsArray();

    private static string?[] SentReasoning(JsonArray messages, string field = "reasoning_content") =>
        [.. messages.Where(m => (string?)m!["role"] == "assistant").Select(m => m!.AsObject().TryGetPropertyValue(field, out var v) ? (string?)v : "<absent>")];

    private static OpenAICompatibleDialect Dialect(ReasoningHistory history, string provider = "p", bool thinksByDefault = false) => new()
    {
        ProviderName = provider,
        DefaultFamily = new ModelFamily { Name = "t", ReasoningHistory = history, ThinksByDefault = thinksByDefault, ReasoningSwitch = DeepSeekReasoningSwitch.Instance },
    };

    [Fact]
    public void Strip_sends_no_reasoning() =>
        Assert.Equal(["<absent>", "<absent>"], SentReasoning(Build(Dialect(ReasoningHistory.Strip), Conversation())));

    [Fact]
    public void Echo_sends_every_assistant_messages_reasoning() =>
        Assert.Equal(["r1", "r2"], SentReasoning(Build(Dialect(ReasoningHistory.Echo), Conversation())));

    [Fact]
    public void Echo_in_tool_call_turn_sends_only_reasoning_after_the_last_user_message() =>
        Assert.Equal(["<absent>", "r2"], SentReasoning(Build(Dialect(ReasoningHistory.EchoInToolCallTurn), Conversation())));

    [Fact]
    public void Back_fill_sends_every_assistant_turns_own_reasoning_and_an_empty_string_only_where_there_is_none()
    {
        var dialect = Dialect(ReasoningHistory.BackfillEveryAssistantTurn, thinksByDefault: true);

        // Turn 2 of a conversation: the plain answer of turn 1 carries its own reasoning too, not only the tool-call turn.
        Assert.Equal(["r1", "r2"], SentReasoning(Build(dialect, Conversation())));

        ChatMessage[] noReasoning = [new(ChatRole.User, "Weather?"), new(ChatRole.Assistant, [Call("c1")]), new(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")])];
        Assert.Equal([""], SentReasoning(Build(dialect, noReasoning)));

        ChatMessage[] mixed = [new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello"), new(ChatRole.User, "Again"), new(ChatRole.Assistant, [Thought("r2"), new TextContent("Hi again")]), new(ChatRole.User, "Bye")];
        Assert.Equal(["", "r2"], SentReasoning(Build(dialect, mixed)));
    }

    [Fact]
    public void Back_fill_never_replays_another_providers_reasoning_and_sends_an_empty_string_in_its_place()
    {
        var dialect = Dialect(ReasoningHistory.BackfillEveryAssistantTurn, "deepseek", thinksByDefault: true);
        Assert.Equal(["", ""], SentReasoning(Build(dialect, Conversation("vllm"))));
        Assert.Equal(["r1", "r2"], SentReasoning(Build(dialect, Conversation("deepseek"))));
    }

    [Fact]
    public void Back_fill_is_skipped_when_the_request_switches_thinking_off_by_any_route()
    {
        var dialect = Dialect(ReasoningHistory.BackfillEveryAssistantTurn, thinksByDefault: true);
        ChatMessage[] noReasoning = [new(ChatRole.User, "Weather?"), new(ChatRole.Assistant, [Call("c1")]), new(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")])];

        var typed = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } };
        var raw = new ChatOptions { AdditionalProperties = new() { ["thinking"] = new JsonObject { ["type"] = "disabled" } } };

        Assert.Equal(["<absent>"], SentReasoning(Build(dialect, noReasoning, typed)));
        Assert.Equal(["<absent>"], SentReasoning(Build(dialect, noReasoning, raw)));
    }

    [Fact]
    public void Reasoning_tagged_by_another_provider_is_never_sent()
    {
        Assert.Equal(["<absent>", "<absent>"], SentReasoning(Build(Dialect(ReasoningHistory.Echo, "vllm"), Conversation("deepseek"))));
        Assert.Equal(["r1", "r2"], SentReasoning(Build(Dialect(ReasoningHistory.Echo, "vllm"), Conversation("VLLM"))));
    }

    [Fact]
    public void Untagged_reasoning_is_the_callers_own_unless_it_is_an_opaque_blob()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("mine"), new TextContent("A")]),
            new(ChatRole.User, "Again"),
            new(ChatRole.Assistant, [new TextReasoningContent("") { ProtectedData = "gAAAAB…encrypted" }, new TextContent("B")]),
            new(ChatRole.User, "More"),
        ];
        Assert.Equal(["mine", "<absent>"], SentReasoning(Build(Dialect(ReasoningHistory.Echo), messages)));
    }

    [Fact]
    public void Only_the_foreign_part_of_a_mixed_message_is_dropped()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [Thought("theirs ", "qwen"), Thought("ours", "p"), new TextContent("A")]),
            new(ChatRole.User, "More"),
        ];
        Assert.Equal(["ours"], SentReasoning(Build(Dialect(ReasoningHistory.Echo), messages)));
    }

    [Fact]
    public void Preserve_thinking_in_the_final_request_switches_qwen_to_echo_every_turn()
    {
        var dialect = QwenDialect.Create(new QwenChatClientOptions(), new Uri("https://example/"));
        var options = new ChatOptions { AdditionalProperties = new() { ["preserve_thinking"] = true } };
        Assert.Equal(["<absent>", "r2"], SentReasoning(Build(dialect, Conversation("qwen"), model: "qwen-plus")));
        Assert.Equal(["r1", "r2"], SentReasoning(Build(dialect, Conversation("qwen"), options, "qwen-plus")));
    }

    [Fact]
    public async Task Reasoning_produced_by_one_provider_is_not_replayed_into_another_after_a_swap()
    {
        await using var deepseek = await ReplayServer.StartAsync(Fixture("deepseek", "chat-thinking-tool-call-stream"));
        await using var qwen = await ReplayServer.StartAsync(Answer());
        using var first = new DeepSeekChatClient(deepseek.BaseAddress, DeepSeekModels.Flash);
        using var second = new QwenChatClient(qwen.BaseAddress, "qwen-plus");
        List<ChatMessage> history = [new(ChatRole.User, "Weather in Paris?")];

        var response = await first.GetStreamingResponseAsync(history, new ChatOptions { Tools = [GetWeather] }, Ct).ToChatResponseAsync(Ct);
        history.AddRange(response.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(response.Messages[0].Contents.OfType<FunctionCallContent>().Single().CallId, "Sunny")]));
        await second.GetResponseAsync(history, cancellationToken: Ct);

        // The aggregated reasoning keeps its tag, and Qwen (which would echo the current tool-call turn) gets none of it.
        var reasoning = Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal("deepseek", ReasoningProvenance.GetProvider(reasoning));
        var assistant = Messages(Assert.Single(qwen.Requests))[1]!.AsObject();
        Assert.False(assistant.ContainsKey("reasoning_content"));
        Assert.True(assistant.ContainsKey("tool_calls"));
    }

    [Fact]
    public async Task Output_none_hides_reasoning_in_both_paths_without_changing_the_request()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("deepseek", "chat-thinking-nonstream-queued"), Fixture("deepseek", "chat-reasoning-stream-keepalive"));
        using var client = new DeepSeekChatClient(server.BaseAddress, DeepSeekModels.Flash);
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High, Output = ReasoningOutput.None } };

        var response = await client.GetResponseAsync("17 × 23?", options, Ct);
        var updates = await CollectAsync(client.GetStreamingResponseAsync("One character.", options, Ct));

        Assert.Equal("391", response.Text);
        Assert.Equal("", ReasoningText(response));
        Assert.Equal("纱", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("", ReasoningText(updates));
        JsonAssert.Equal("""{"thinking":{"type":"enabled"},"reasoning_effort":"high"}""", Extras(server.Requests[0]));
    }

    [Fact]
    public void The_provenance_tag_survives_json_serialisation_of_a_history()
    {
        var message = new ChatMessage(ChatRole.Assistant, [Thought("why", "deepseek"), new TextContent("because")]);
        var json = System.Text.Json.JsonSerializer.Serialize(message, AIJsonUtilities.DefaultOptions);
        var restored = System.Text.Json.JsonSerializer.Deserialize<ChatMessage>(json, AIJsonUtilities.DefaultOptions)!;

        Assert.Equal("deepseek", ReasoningProvenance.GetProvider(restored.Contents.OfType<TextReasoningContent>().Single()));
        Assert.Equal(["<absent>"], SentReasoning(Build(Dialect(ReasoningHistory.Echo, "qwen"), [new(ChatRole.User, "Hi"), restored, new(ChatRole.User, "More")])));
    }

    [Theory]
    [InlineData("qwen3.7-*", "QWEN3.7-max", true)]
    [InlineData("qwen3.7-*", "qwen3.70", false)]
    [InlineData("*-thinking-2507", "qwen3-30b-a3b-thinking-2507", true)]
    [InlineData("*-thinking-2507", "qwen3-30b-a3b-thinking-2507-x", false)]
    [InlineData("*deepseek*", "deepseek-ai/DeepSeek-V3.1", true)]
    [InlineData("qwen3-32b", "qwen3-32b-instruct", false)]
    [InlineData("a*b*c", "a-x-b-y-c", true)]
    public void Model_patterns_match_case_insensitively_with_wildcards(string pattern, string model, bool expected) =>
        Assert.Equal(expected, ModelPattern.IsMatch(pattern, model));
}
