using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.OpenAICompatible;

/// <summary>Request shapes produced from ChatOptions, compared as JSON.</summary>
public class RequestBuilderTests
{
    private static readonly IChatClient Owner = new LlamaCppChatClient(new Uri("http://127.0.0.1:1"));

    private static JsonObject Build(ChatOptions? options, params ChatMessage[] messages) =>
        OpenAICompatibleRequestBuilder.Build(messages.Length == 0 ? [new ChatMessage(ChatRole.User, "hi")] : messages, options, null, LlamaCppDialect.Instance, stream: false, Owner);

    [Theory]
    [InlineData(ReasoningEffort.None, """{"chat_template_kwargs":{"enable_thinking":false},"reasoning_effort":"none"}""")]
    [InlineData(ReasoningEffort.Low, """{"chat_template_kwargs":{"enable_thinking":true},"thinking_budget_tokens":1024}""")]
    [InlineData(ReasoningEffort.Medium, """{"chat_template_kwargs":{"enable_thinking":true},"thinking_budget_tokens":4096}""")]
    [InlineData(ReasoningEffort.High, """{"chat_template_kwargs":{"enable_thinking":true},"thinking_budget_tokens":16384}""")]
    [InlineData(ReasoningEffort.ExtraHigh, """{"chat_template_kwargs":{"enable_thinking":true}}""")]
    public void Reasoning_effort_maps_to_the_llama_cpp_switches(ReasoningEffort effort, string expectedExtras)
    {
        var body = Build(new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } });
        body.Remove("messages");
        JsonAssert.Equal(expectedExtras, body);
    }

    [Fact]
    public void Effort_none_on_a_deepseek_template_model_also_sends_reasoning_effort_none_which_llama_cpp_honours_for_any_template()
    {
        // Recorded behaviour of llama-server b10309 with the DeepSeek-R1 distill template: chat_template_kwargs.thinking false leaves the
        // prompt's <think> open (the reply is all reasoning); reasoning_effort "none" closes it.
        var body = OpenAICompatibleRequestBuilder.Build([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } }, "deepseek-r1-distill-qwen-32b", LlamaCppDialect.Instance, stream: false, Owner);
        body.Remove("messages");
        JsonAssert.Equal("""{"model":"deepseek-r1-distill-qwen-32b","chat_template_kwargs":{"thinking":false},"reasoning_effort":"none"}""", body);
    }

    [Fact]
    public void No_reasoning_options_sends_nothing()
    {
        var body = Build(new ChatOptions());
        JsonAssert.Equal("""{"messages":[{"role":"user","content":"hi"}]}""", body);
    }

    [Fact]
    public void Additional_properties_merge_into_the_reasoning_kwargs_instead_of_replacing_them()
    {
        var options = new ChatOptions
        {
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None },
            AdditionalProperties = new() { ["chat_template_kwargs"] = new Dictionary<string, object> { ["preserve_thinking"] = true }, ["cache_prompt"] = false, ["id_slot"] = 2, ["grammar"] = "root ::= \"yes\"" },
        };
        var body = Build(options);
        JsonAssert.Equal("""{"enable_thinking":false,"preserve_thinking":true}""", body["chat_template_kwargs"]);
        Assert.False(body["cache_prompt"]!.GetValue<bool>());
        Assert.Equal(2, body["id_slot"]!.GetValue<int>());
        Assert.Equal("root ::= \"yes\"", body["grammar"]!.GetValue<string>());
    }

    [Fact]
    public void A_raw_representation_seed_wins_over_options()
    {
        var options = new ChatOptions { Temperature = 0.1f, RawRepresentationFactory = _ => new JsonObject { ["temperature"] = 0.9, ["n_probs"] = 3 } };
        var body = Build(options);
        Assert.Equal(0.9, body["temperature"]!.GetValue<double>());
        Assert.Equal(3, body["n_probs"]!.GetValue<int>());
    }

    [Fact]
    public void Instructions_become_a_leading_system_message_and_top_k_is_sent()
    {
        var body = Build(new ChatOptions { Instructions = "Be terse.", TopK = 20, ModelId = "router-model" });
        JsonAssert.Equal("""{"model":"router-model","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"hi"}],"top_k":20}""", body);
    }

    [Fact]
    public void Images_become_image_url_parts()
    {
        var message = new ChatMessage(ChatRole.User,
        [
            new TextContent("What is this?"),
            new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
            new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg"),
        ]);
        var body = Build(null, message);
        JsonAssert.Equal("""
            [{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AQID"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]
            """, body["messages"]);
    }

    [Fact]
    public void Unsupported_media_fails_with_a_clear_error()
    {
        var message = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "application/pdf")]);
        var e = Assert.Throws<NotSupportedException>(() => Build(null, message));
        Assert.Contains("application/pdf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_calls_and_results_round_trip_in_history()
    {
        ChatMessage[] history =
        [
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new TextReasoningContent("need a tool"), new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", new { temp = 21 })]),
        ];
        var body = Build(null, history);
        JsonAssert.Equal("""
            [{"role":"user","content":"weather?"},
             {"role":"assistant","content":null,"reasoning_content":"need a tool","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"{\"temp\":21}"}]
            """, body["messages"]);
    }

    [Fact]
    public void Streaming_asks_for_usage_unless_the_dialect_says_the_server_rejects_it()
    {
        var messages = new[] { new ChatMessage(ChatRole.User, "hi") };
        var withUsage = OpenAICompatibleRequestBuilder.Build(messages, null, null, LlamaCppDialect.Instance, stream: true, Owner);
        JsonAssert.Equal("""{"include_usage":true}""", withUsage["stream_options"]);
        var dialect = OpenAICompatibleChatClient.CreateDialect(new OpenAICompatibleClientOptions { IncludeUsageInStream = false });
        var without = OpenAICompatibleRequestBuilder.Build(messages, null, null, dialect, stream: true, Owner);
        Assert.Null(without["stream_options"]);
        Assert.True(without["stream"]!.GetValue<bool>());
    }
}
