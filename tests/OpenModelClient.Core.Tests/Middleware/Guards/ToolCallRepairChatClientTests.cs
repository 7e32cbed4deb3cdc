using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.TestDoubles;

namespace OpenModelClient.Tests.Middleware.Guards;

/// <summary>The function-invocation loop with a small model's near-JSON tool calls, replayed from an OpenAI-compatible server.</summary>
public class ToolCallRepairChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is the weather in Paris?")];

    private static ReplayResponse ToolCall(string name, string arguments, bool stream, string id = "call_1")
    {
        string encoded = JsonValue.Create(arguments).ToJsonString();
        return stream
            ? ReplayResponse.Sse(
                $$$"""
                data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"tiny","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"{{{id}}}","type":"function","function":{"name":"{{{name}}}","arguments":""}}]},"finish_reason":null}]}

                data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"tiny","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":{{{encoded}}}}}]},"finish_reason":null}]}

                data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"tiny","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: [DONE]


                """)
            : ReplayResponse.Json(200, $$$"""{"id":"chatcmpl-t","object":"chat.completion","created":1,"model":"tiny","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"{{{id}}}","type":"function","function":{"name":"{{{name}}}","arguments":{{{encoded}}}}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}""");
    }

    private static ReplayResponse Answer(bool stream) => stream
        ? ReplayResponse.Sse(
            """
            data: {"id":"chatcmpl-a","object":"chat.completion.chunk","created":2,"model":"tiny","choices":[{"index":0,"delta":{"role":"assistant","content":"It is 21 degrees."},"finish_reason":null}]}

            data: {"id":"chatcmpl-a","object":"chat.completion.chunk","created":2,"model":"tiny","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]


            """)
        : ReplayResponse.Json(200, """{"id":"chatcmpl-a","object":"chat.completion","created":2,"model":"tiny","choices":[{"index":0,"message":{"role":"assistant","content":"It is 21 degrees."},"finish_reason":"stop"}],"usage":{"prompt_tokens":50,"completion_tokens":6,"total_tokens":56}}""");

    private sealed class Weather
    {
        public List<(string City, string Unit)> Calls { get; } = [];

        public AIFunction Function => AIFunctionFactory.Create((string city, string unit) =>
        {
            Calls.Add((city, unit));
            return $"21 {unit} in {city}";
        }, "get_weather", "Get the weather for a city");
    }

    private static IChatClient Pipeline(ReplayServer server, string provider, bool guard, CapturingLoggerFactory? logs = null)
    {
        var inner = new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), "tiny", options: new OpenAICompatibleClientOptions { ProviderName = provider });
        var builder = inner.AsBuilder().UseFunctionInvocation();
        return (guard ? builder.UseToolCallRepair(logs) : builder).Build();
    }

    private static async Task<ChatResponse> AskAsync(IChatClient client, AIFunction tool, bool stream)
    {
        var options = new ChatOptions { Tools = [tool] };
        return stream ? await client.GetStreamingResponseAsync(Question, options, Ct).ToChatResponseAsync(Ct) : await client.GetResponseAsync(Question, options, Ct);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NearJsonCall_GuardOn_IsRepairedAndTheLoopCompletes(bool stream)
    {
        string provider = $"repair-{stream}";
        using var metrics = new GuardMetricsRecorder(provider);
        var logs = new CapturingLoggerFactory();
        var weather = new Weather();
        await using var server = await ReplayServer.StartAsync(ToolCall("Get-Weather", "```json\n{'City': 'Paris', 'unit': 'celsius',}\n```", stream), Answer(stream));
        using var client = Pipeline(server, provider, guard: true, logs);

        var response = await AskAsync(client, weather.Function, stream);

        Assert.Equal("It is 21 degrees.", response.Text);
        Assert.Equal([("Paris", "celsius")], weather.Calls);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);

        // What went back to the model: the repaired call and the function's real result.
        var history = server.Requests[1].BodyJson!["messages"]!.AsArray();
        var sentCall = history[1]!["tool_calls"]![0]!["function"]!;
        Assert.Equal("get_weather", (string)sentCall["name"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris","unit":"celsius"}"""), JsonNode.Parse((string)sentCall["arguments"]!)));
        Assert.Equal("21 celsius in Paris", (string)history[2]!["content"]!);

        Assert.Contains(logs.Entries, e => e.Message.Contains("repaired a call to 'get_weather' (tool name 'Get-Weather' read as 'get_weather'; code fence removed; single quotes replaced; trailing comma removed; argument 'City' renamed to 'city')", StringComparison.Ordinal));
        Assert.Equal([(GuardMetricsNames.ToolCallRepair, "repaired")], metrics.Actions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NearJsonCall_GuardOff_TheFunctionNeverGetsTheArguments(bool stream)
    {
        var weather = new Weather();
        await using var server = await ReplayServer.StartAsync(ToolCall("get_weather", "{'city': 'Paris', 'unit': 'celsius',}", stream), Answer(stream));
        using var client = Pipeline(server, "repair-off", guard: false);

        var response = await AskAsync(client, weather.Function, stream);

        Assert.Empty(weather.Calls);
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>());
        Assert.Equal("Error: Function failed.", result.Result); // the model is not told what was wrong
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnrepairableCall_GuardOn_TellsTheModelWhatWasWrongAndTheLoopRecovers(bool stream)
    {
        string provider = $"correct-{stream}";
        using var metrics = new GuardMetricsRecorder(provider);
        var logs = new CapturingLoggerFactory();
        var weather = new Weather();
        await using var server = await ReplayServer.StartAsync(
            ToolCall("get_weather", """{"city":"Paris"}""", stream, "call_bad"),
            ToolCall("get_weather", """{"city":"Paris","unit":"celsius"}""", stream, "call_good"),
            Answer(stream));
        using var client = Pipeline(server, provider, guard: true, logs);

        var response = await AskAsync(client, weather.Function, stream);

        Assert.Equal("It is 21 degrees.", response.Text);
        Assert.Equal([("Paris", "celsius")], weather.Calls); // run once, with the model's corrected arguments: nothing invented
        var correction = server.Requests[1].BodyJson!["messages"]!.AsArray();
        Assert.Equal("call_bad", (string)correction[2]!["tool_call_id"]!);
        Assert.Equal("Error: the call was not run: missing required argument(s) 'unit'. Call the tool again with arguments that match its JSON schema.", (string)correction[2]!["content"]!);
        Assert.Contains(logs.Warnings, w => w.Contains("a call to 'get_weather' cannot be used (missing required argument(s) 'unit')", StringComparison.Ordinal));
        Assert.Equal([(GuardMetricsNames.ToolCallRepair, "corrected")], metrics.Actions);
        Assert.Equal(3, server.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownTool_CorrectionsSpent_RaisesInvalidToolCall(bool stream)
    {
        await using var server = await ReplayServer.StartAsync(ToolCall("get_forecast", "{}", stream), ToolCall("get_forecast", "{}", stream));
        using var client = new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), "tiny").AsBuilder()
            .UseFunctionInvocation().UseToolCallRepair(configure: c => c.MaxCorrections = 1).Build();

        var e = await Assert.ThrowsAsync<InvalidToolCallException>(() => AskAsync(client, new Weather().Function, stream));

        Assert.Equal("get_forecast", e.ToolName);
        Assert.Equal("there is no tool named 'get_forecast'; the tools are 'get_weather'", e.Problem);
        Assert.Equal(OpenModelErrorKind.InvalidToolCall, e.Kind);
        Assert.Equal(2, server.Requests.Count);
    }
}
