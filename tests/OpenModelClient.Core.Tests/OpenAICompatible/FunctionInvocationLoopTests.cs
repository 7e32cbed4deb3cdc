using System.ComponentModel;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.OpenAICompatible;

public class FunctionInvocationLoopTests
{
    private const string FinalAnswer = """{"id":"chatcmpl-final","object":"chat.completion","created":1795464170,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"It is sunny in Tokyo."}}],"usage":{"prompt_tokens":300,"completion_tokens":7,"total_tokens":307}}""";

    [Fact]
    public async Task Tool_call_then_result_then_final_answer_over_the_wire()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "chat-tools-call-nonstream"),
            ReplayResponse.Json(200, FinalAnswer));
        var calls = new List<(string City, string Unit)>();
        var tool = AIFunctionFactory.Create(
            [Description("Get the current weather for a city")] (string city, string unit) =>
            {
                calls.Add((city, unit));
                return $"Sunny, 21 degrees {unit} in {city}";
            },
            "get_weather");
        using var client = new ChatClientBuilder(Client(server)).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("What is the weather in Paris?", new ChatOptions { Tools = [tool] }, TestContext.Current.CancellationToken);

        Assert.Equal([("Tokyo", "fahrenheit")], calls);
        Assert.Equal("It is sunny in Tokyo.", response.Text);
        Assert.Equal(2, server.Requests.Count);

        var second = server.Requests[1].BodyJson!["messages"]!.AsArray();
        Assert.Equal(3, second.Count);
        var assistant = second[1]!;
        Assert.Equal("assistant", assistant["role"]!.GetValue<string>());
        Assert.Null(assistant["content"]);
        var toolCall = assistant["tool_calls"]![0]!;
        Assert.Equal("TkDIlvam3DpenDv2wMpGZBrZnXYXwrFq", toolCall["id"]!.GetValue<string>());
        Assert.Equal("get_weather", toolCall["function"]!["name"]!.GetValue<string>());
        JsonAssert.Equal("""{"city":"Tokyo","unit":"fahrenheit"}""", System.Text.Json.Nodes.JsonNode.Parse(toolCall["function"]!["arguments"]!.GetValue<string>()));
        JsonAssert.Equal("""{"role":"tool","tool_call_id":"TkDIlvam3DpenDv2wMpGZBrZnXYXwrFq","content":"Sunny, 21 degrees fahrenheit in Tokyo"}""", second[2]);
    }

    [Fact]
    public async Task Streaming_tool_call_loop_over_the_wire()
    {
        const string finalStream = "data: {\"id\":\"f\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Done.\"}}]}\n\ndata: {\"id\":\"f\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "chat-tools-call-stream"),
            ReplayResponse.Sse(finalStream));
        int invocations = 0;
        var tool = AIFunctionFactory.Create((string city, string unit) => { invocations++; return "cloudy"; }, "get_weather");
        using var client = new ChatClientBuilder(Client(server)).UseFunctionInvocation().Build();

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("weather?", new ChatOptions { Tools = [tool] }, TestContext.Current.CancellationToken))
        {
            text += update.Text;
        }

        Assert.Equal(1, invocations);
        Assert.Equal("Done.", text);
        var toolMessage = server.Requests[1].BodyJson!["messages"]!.AsArray()[2]!;
        Assert.Equal("eYeFgkRL7uNTqw0Yan9fdeHbb07dY0AC", toolMessage["tool_call_id"]!.GetValue<string>());
        Assert.Equal("cloudy", toolMessage["content"]!.GetValue<string>());
    }
}
