using System.Text.Json.Nodes;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>The ToolCalling sample: the model's calls run the real tools and their results go back to the model.</summary>
public sealed class ToolCallingSampleTests
{
    [Fact]
    public async Task ModelCallsBothTools_ToolsRunAndResultsAreSentBack()
    {
        // llama.cpp's recorded parallel-call response, renamed to this sample's two tools, then a recorded final answer.
        var calls = Replay.EditedJson("llama.cpp", "chat-tools-parallel-calls-nonstream", body =>
        {
            var toolCalls = body["choices"]![0]!["message"]!["tool_calls"]!;
            toolCalls[0]!["function"] = new JsonObject { ["name"] = "get_utc_time", ["arguments"] = "{}" };
            toolCalls[1]!["function"] = new JsonObject { ["name"] = "convert_units", ["arguments"] = """{"value": 42.195, "from": "km", "to": "mi"}""" };
        });
        await using var server = await ReplayServer.StartAsync(calls, Replay.Fixture("llama.cpp", "chat-nonstream-length"), Replay.Fixture("llama.cpp", "props").ForRequest("GET", "/props"));

        var result = await SampleProcess.RunAsync("ToolCalling", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains("tool call › convert_units(value: 42.195, from: km, to: mi)");
        result.AssertOutputContains("tool result › 26.219 mi");
        Assert.Matches(@"tool result › \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result.Output);
        result.AssertOutputContains(Replay.LlamaCppStreamText); // the final answer
        result.AssertOutputContains("294 prompt + 70 output tokens over 2 model calls · 2 tool call(s)"); // usage summed over both calls

        // The capability guard reads /props once before the first request with tools; the chat requests are the others.
        var chats = server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, chats.Count);
        var first = chats[0].BodyJson!;
        Assert.Equal(["get_utc_time", "convert_units"], first["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()));
        var toolMessages = chats[1].BodyJson!["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.Equal(2, toolMessages.Count);
        var conversion = Assert.Single(toolMessages, m => m!["tool_call_id"]!.GetValue<string>() == "k8ExVLnbBbMEk492xp809cGkdt9eHSBm");
        Assert.Contains("26.219 mi", conversion!["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithoutToolSupport_TheDroppedToolsAreReportedOnStandardError()
    {
        var props = Replay.EditedJson("llama.cpp", "props", body => body["chat_template_caps"]!["supports_tool_calls"] = false).ForRequest("GET", "/props");
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-nonstream-length"), props);

        var result = await SampleProcess.RunAsync("ToolCalling", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.ErrorLines, l => l.Contains("does not support tools", StringComparison.Ordinal) && l.Contains("2 tool(s) were not sent", StringComparison.Ordinal));
        Assert.Null(server.Requests.Single(r => r.Method == "POST").BodyJson!["tools"]);
    }

    [Fact]
    public async Task NothingAnswers_ExitsWithCode2AndOneLineWithoutStackTraces()
    {
        // With tools, the first call reads /props too; the circuit it opens and the failed call were logged with their stack traces.
        int port = Replay.DeadPort();

        var result = await SampleProcess.RunAsync("ToolCalling", ["-p", "llamacpp", $"--OpenModel:Endpoint=http://127.0.0.1:{port}", "--OpenModel:Retry:BaseDelay=00:00:00.010"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"No model server answered at http://127.0.0.1:{port} (profile llamacpp, provider LlamaCpp)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, "C", "F", "212 F")]
    [InlineData(1, "km", "kg", "Cannot convert km to kg.")]
    public async Task ConvertUnits_RecordedCall_AnswersWithTheConversion(double value, string from, string to, string expected)
    {
        var call = Replay.EditedJson("llama.cpp", "chat-tools-call-nonstream", body =>
            body["choices"]![0]!["message"]!["tool_calls"]![0]!["function"] = new JsonObject
            {
                ["name"] = "convert_units",
                ["arguments"] = new JsonObject { ["value"] = value, ["from"] = from, ["to"] = to }.ToJsonString(),
            });
        await using var server = await ReplayServer.StartAsync(call, Replay.Fixture("llama.cpp", "chat-nonstream-length"), Replay.Fixture("llama.cpp", "props").ForRequest("GET", "/props"));

        var result = await SampleProcess.RunAsync("ToolCalling", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}", "Convert", "it."]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains($"tool result › {expected}");
        var tool = Assert.Single(server.Requests.Where(r => r.Method == "POST").ElementAt(1).BodyJson!["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "tool");
        Assert.Contains(expected, tool!["content"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
