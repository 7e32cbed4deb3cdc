using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>The ProviderSwap sample: every profile is asked, and each failure stays in its own row.</summary>
public sealed class ProviderSwapSampleTests
{
    [Fact]
    public async Task EveryProfile_OneAnswersOthersFail_TableShowsMeasuresAndTypedErrors()
    {
        // llamacpp answers: the recorded stream, then the recorded json_schema response with this sample's schema filled in.
        var structured = Replay.EditedJson("llama.cpp", "chat-json-schema-nonstream", body =>
            body["choices"]![0]!["message"]!["content"] = """{"country": "France", "city": "Paris"}""");
        await using var llamaCpp = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"), structured);

        // ollama is up but lacks the model; vllm is down; deepseek and qwen have no key.
        await using var ollama = await ReplayServer.StartAsync(Replay.Fixture("ollama", "error-404-model-not-found"));
        int deadPort = Replay.DeadPort();

        var result = await SampleProcess.RunAsync("ProviderSwap",
        [
            $"--Profiles:llamacpp:Endpoint={Replay.Endpoint(llamaCpp)}",
            $"--Profiles:ollama:Endpoint={Replay.Endpoint(ollama)}",
            $"--Profiles:vllm:Endpoint=http://127.0.0.1:{deadPort}/v1",
            "--Profiles:vllm:Retry:BaseDelay=00:00:00.010",
            "Why", "is", "the", "sky", "blue?",
        ]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        string Row(string profile) => Assert.Single(lines, l => l.StartsWith($"  {profile} ", StringComparison.Ordinal));

        Assert.Matches(@"^\s+llamacpp\s+LlamaCpp\s+tiny-llama-qwen25-tools\.gguf\s+\d+\.\d\d s\s+2363\s+37\s+✓ text, JSON ✓", Row("llamacpp"));
        Assert.Matches(@"^\s+ollama\s+Ollama\s+qwen3:4b\s+–\s+–\s+–\s+✗ ModelNotFoundException", Row("ollama"));
        Assert.Matches(@"^\s+vllm\s+OpenAICompatible\s+Qwen/Qwen3-8B\s+–\s+–\s+–\s+✗ HttpRequestException \(ConnectionError\)", Row("vllm"));
        Assert.Contains("✗ OptionsValidationException", Row("deepseek"), StringComparison.Ordinal);
        Assert.Contains("✗ OptionsValidationException", Row("qwen"), StringComparison.Ordinal);

        result.AssertOutputContains($"llamacpp: {Replay.LlamaCppStreamText} | JSON: Paris, France");
        result.AssertOutputContains("ollama: ollama: model or route not found (HTTP 404): model \"qwen3:4b\" not found");
        result.AssertOutputContains($"vllm: Connection refused (127.0.0.1:{deadPort})");
        result.AssertOutputContains("Profiles:deepseek:ApiKey is missing"); // whether or not this version offers DeepSeek yet

        Assert.Equal(2, llamaCpp.Requests.Count);
        Assert.Equal("Why is the sky blue?", llamaCpp.Requests[0].BodyJson!["messages"]![0]!["content"]!.GetValue<string>());
        var format = llamaCpp.Requests[1].BodyJson!["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal(["country", "city"], format["json_schema"]!["schema"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task NoProfileAnswers_ButAServerWasReached_ExitsWithTheServerErrorCodeNotNothingAnswered()
    {
        await using var ollama = await ReplayServer.StartAsync(Replay.Fixture("ollama", "error-404-model-not-found"));
        int deadPort = Replay.DeadPort();

        var result = await SampleProcess.RunAsync("ProviderSwap",
        [
            $"--Profiles:llamacpp:Endpoint=http://127.0.0.1:{deadPort}",
            "--Profiles:llamacpp:Retry:BaseDelay=00:00:00.010",
            $"--Profiles:ollama:Endpoint={Replay.Endpoint(ollama)}",
            $"--Profiles:vllm:Endpoint=http://127.0.0.1:{deadPort}/v1",
            "--Profiles:vllm:Retry:BaseDelay=00:00:00.010",
            "Hi",
        ]);

        Assert.True(result.ExitCode == 1, result.ToString()); // 2 would say nothing answered; Ollama did, with a 404
        result.AssertOutputContains("ollama: ollama: model or route not found (HTTP 404)");
    }
}
