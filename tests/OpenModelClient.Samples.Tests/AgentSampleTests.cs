using System.Text.Json.Nodes;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>The Agent sample: UseFunctionInvocation and a chat reducer over the configured client, against replayed llama.cpp traffic.</summary>
public sealed class AgentSampleTests
{
    [Fact]
    public async Task ModelCallsRemember_TheNoteIsKeptAndTheResultGoesBackToTheModel()
    {
        var call = Replay.EditedJson("llama.cpp", "chat-tools-call-nonstream", body =>
            body["choices"]![0]!["message"]!["tool_calls"]![0]!["function"] = new JsonObject
            {
                ["name"] = "remember",
                ["arguments"] = """{"note": "the demo is on Friday"}""",
            });
        await using var server = await ReplayServer.StartAsync(call, Replay.Fixture("llama.cpp", "chat-nonstream-length"), Replay.Fixture("llama.cpp", "props").ForRequest("GET", "/props"));

        var result = await SampleProcess.RunAsync("Agent", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}", "Remember", "the", "demo", "date."]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains("you › Remember the demo date.");
        result.AssertOutputContains("tool call › remember(note: the demo is on Friday)");
        result.AssertOutputContains("tool result › Remembered. 1 note(s) so far.");
        result.AssertOutputContains("agent › " + Replay.LlamaCppStreamText);

        var chats = server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, chats.Count);
        Assert.Equal(["remember", "recall", "get_utc_time"], chats[0].BodyJson!["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()));
        var messages = chats[1].BodyJson!["messages"]!.AsArray();
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        var tool = Assert.Single(messages, m => m!["role"]!.GetValue<string>() == "tool");
        Assert.Contains("Remembered. 1 note(s) so far.", tool!["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipedTurns_TheReducerSendsTheSystemPromptAndOnlyTheLastMessages()
    {
        await using var server = await ReplayServer.StartAsync(
            Replay.Fixture("llama.cpp", "chat-nonstream-length"),
            Replay.Fixture("llama.cpp", "chat-nonstream-length"),
            Replay.Fixture("llama.cpp", "chat-nonstream-length"),
            Replay.Fixture("llama.cpp", "props").ForRequest("GET", "/props"));

        var result = await SampleProcess.RunAsync(
            "Agent", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}", "--Agent:MaxMessages=2"], input: "first question\n\nsecond question\nthird question\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, result.Output.Split("agent › ").Length - 1);
        var chats = server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(3, chats.Count);

        // Six messages by the third turn (system, three questions, two answers); the model sees the system prompt and the last two.
        var third = chats[2].BodyJson!["messages"]!.AsArray();
        Assert.Equal(["system", "assistant", "user"], third.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("third question", third[2]!["content"]!.GetValue<string>());
        Assert.Equal(Replay.LlamaCppStreamText, third[1]!["content"]!.GetValue<string>());
        Assert.Equal(["system", "user"], chats[0].BodyJson!["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(["system", "assistant", "user"], chats[1].BodyJson!["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ModelCallsAToolItDoesNotHave_TheModelIsToldAndTheAnswerIsPrinted()
    {
        // The recording's call is to get_weather, which this agent does not offer: a model with random weights does such things.
        // The library's tool-call repair tells the model what was wrong and says so in a warning; the next answer is printed.
        await using var server = await ReplayServer.StartAsync(
            Replay.Fixture("llama.cpp", "chat-tools-call-nonstream"), Replay.Fixture("llama.cpp", "chat-nonstream-length"), Replay.Fixture("llama.cpp", "props").ForRequest("GET", "/props"));

        var result = await SampleProcess.RunAsync("Agent", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}", "Hi"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains("agent › " + Replay.LlamaCppStreamText);
        Assert.Contains(result.ErrorLines, l => l.Contains("there is no tool named 'get_weather'", StringComparison.Ordinal));
        var chats = server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, chats.Count);
        Assert.Contains("get_weather", Replay.BodyText(chats[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingAnswers_ExitsWithCode2AndOneLine()
    {
        int port = Replay.DeadPort();

        var result = await SampleProcess.RunAsync("Agent", [$"--OpenModel:Endpoint=http://127.0.0.1:{port}", "--OpenModel:Retry:BaseDelay=00:00:00.010", "Hi"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"No model server answered at http://127.0.0.1:{port} (profile llamacpp, provider LlamaCpp)", line, StringComparison.Ordinal);
    }
}
