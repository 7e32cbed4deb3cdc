using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>The Chat sample (README's first command) run as a process against replayed servers.</summary>
public sealed class ChatSampleTests
{
    [Fact]
    public async Task OneShot_EndpointOnCommandLine_StreamsAnswerAndFooter()
    {
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));

        var result = await SampleProcess.RunAsync("Chat", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}", "Say", "hello", "briefly."]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains(Replay.LlamaCppStreamText);
        result.AssertOutputContains($"{Replay.LlamaCppStreamTokens} · first token ");
        result.AssertOutputContains("· 2363 tokens/s"); // llama.cpp's own measure, rounded
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("Say hello briefly.", request.BodyJson!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.True(request.BodyJson!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OneShot_EndpointInEnvironment_IsUsed()
    {
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));

        var result = await SampleProcess.RunAsync("Chat", ["Hi"], new Dictionary<string, string> { ["OpenModel__Endpoint"] = Replay.Endpoint(server) });

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains(Replay.LlamaCppStreamText);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OneShot_SwitchesWithSpaceSeparatedValues_AreSettingsNotPromptWords()
    {
        // The host's command-line provider reads "--Key value" as a setting; the prompt is made of the other words only.
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));

        var result = await SampleProcess.RunAsync(
            "Chat", ["-p", "llamacpp", "--OpenModel:Model", "my-model", "Say", "hello."], new Dictionary<string, string> { ["Profiles__llamacpp__Endpoint"] = Replay.Endpoint(server) });

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("Say hello.", request.BodyJson!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("my-model", request.BodyJson!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task OneShot_ReasoningStream_PrintsReasoningApartBeforeAnswer()
    {
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-reasoning-budget-stream"));

        var result = await SampleProcess.RunAsync("Chat", [$"--OpenModel:Endpoint={Replay.Endpoint(server)}", "What is 2+2?"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        int reasoning = result.Output.IndexOf("BetweenValuesmense wszyst osob", StringComparison.Ordinal);
        int answer = result.Output.IndexOf(" indicate buildsvićday", StringComparison.Ordinal);
        Assert.True(reasoning >= 0 && answer > reasoning, result.ToString());
        Assert.Contains("osob\n\n indicate", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal); // a blank line between them
        result.AssertOutputContains("12 prompt + 24 output tokens");
    }

    [Fact]
    public async Task ProviderOption_OllamaProfileWithModelPresent_ChatsWithoutPulling()
    {
        await using var server = await ReplayServer.StartAsync(
            Replay.Fixture("ollama", "show").ForRequest("POST", "/api/show"),
            Replay.Fixture("ollama", "chat-stream-text").ForRequest("POST", "/api/chat"));

        var result = await SampleProcess.RunAsync("Chat", ["--provider", "ollama", $"--Profiles:ollama:Endpoint={Replay.Endpoint(server)}", "What is 2+2?"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains("The answer is 4.");
        result.AssertOutputContains("169 prompt + 15 output tokens");
        Assert.DoesNotContain("/api/pull", server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal("qwen3:4b", server.Requests[^1].BodyJson!["model"]!.GetValue<string>()); // the profile's model
    }

    [Fact]
    public async Task ProviderOption_OllamaModelMissing_PullsItWithProgressThenChats()
    {
        await using var server = await ReplayServer.StartAsync(
            Replay.Fixture("ollama", "error-404-model-not-found").ForRequest("POST", "/api/show"),
            Replay.Fixture("ollama", "pull-stream").ForRequest("POST", "/api/pull"),
            Replay.Fixture("ollama", "chat-stream-text").ForRequest("POST", "/api/chat"));

        var result = await SampleProcess.RunAsync("Chat", ["--provider=ollama", $"--Profiles:ollama:Endpoint={Replay.Endpoint(server)}", "What is 2+2?"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertOutputContains("Ollama does not have qwen3:4b yet; pulling it.");
        result.AssertOutputContains("Pulled qwen3:4b.");
        result.AssertOutputContains("The answer is 4.");
        Assert.Equal(["/api/show", "/api/pull", "/api/chat"], server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal("qwen3:4b", server.Requests[1].BodyJson!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task NothingAnswers_ExitsWithCode2AndOneLineSayingWhatWasTried()
    {
        int port = Replay.DeadPort();

        // A short backoff between the retries of the refused connection keeps the run quick; the outcome is the same.
        var result = await SampleProcess.RunAsync("Chat", [$"--OpenModel:Endpoint=http://127.0.0.1:{port}", "--OpenModel:Retry:BaseDelay=00:00:00.010", "Hi"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"No model server answered at http://127.0.0.1:{port} (profile llamacpp, provider LlamaCpp)", line, StringComparison.Ordinal);
        Assert.Contains("llama-server -m model.gguf --jinja --port 8080", line, StringComparison.Ordinal);
        Assert.Contains("ollama serve", line, StringComparison.Ordinal);
        Assert.Equal("", result.Output.Trim()); // nothing else, no stack trace
    }

    [Theory]
    [InlineData("--OpenModel:Provider=Nope", "OpenModel:Provider 'Nope' is not a known provider.")]
    [InlineData("--OpenModel:Timeouts:Idle=soon", "OpenModel:Timeouts:Idle 'soon' must be a positive duration")]
    [InlineData("--provider=nope", "There is no profile 'nope'. Profiles in appsettings.json: deepseek, llamacpp, ollama, qwen, vllm.")]
    public async Task InvalidConfiguration_ExitsWithCode3AndOneLineNamingTheKey(string setting, string expected)
    {
        var result = await SampleProcess.RunAsync("Chat", [setting, "Hi"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
