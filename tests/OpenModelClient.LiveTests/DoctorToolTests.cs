using OpenModelClient.Doctor;

namespace OpenModelClient.LiveTests;

/// <summary><c>openmodel doctor</c> against the real server, a closed port and bad settings.</summary>
public sealed class DoctorToolTests(LlamaServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prints_what_a_chat_server_can_do_and_exits_zero_when_the_required_checks_pass()
    {
        var server = await servers.GetAsync(LiveServer.Chat);
        var (code, output, error) = await RunAsync("doctor", "--provider", "LlamaCpp", "--endpoint", server.Endpoint.ToString(), "--tool-call-prefill",
            "--require", "usage,timings,tools,streamed-tools,parallel-tools,json-schema,context-length");
        Assert.True(code == 0, output + error);
        Assert.Empty(error);
        foreach (string check in new[] { "chat", "streaming", "usage in stream", "server timings", "tools", "streamed tools", "parallel tools", "json schema", "context length" })
        {
            Assert.Matches($"(?m)^{check} +works +required ", output);
        }

        // A Qwen2.5 template does not think, and the chat server was not started with --embeddings.
        Assert.Matches("(?m)^reasoning +FAILS +optional +no reasoning came back", output);
        Assert.Matches("(?m)^embeddings +skipped +optional ", output);
        Assert.Matches(@"(?m)^context length: 1024$", output);
        Assert.Matches(@"(?m)^time to first token: \d+ ms$", output);
        Assert.Matches(@"(?m)^output tokens per second: \d+\.\d \(server\)$", output);
    }

    [Fact]
    public async Task Reports_reasoning_and_its_field_on_a_thinking_server_and_embeddings_on_an_embedding_server()
    {
        var reasoning = await servers.GetAsync(LiveServer.Reasoning);
        var (code, output, _) = await RunAsync("doctor", "--provider", "LlamaCpp", "--endpoint", reasoning.Endpoint.ToString(), "--require", "reasoning");
        Assert.True(code == 0, output);
        Assert.Matches("(?m)^reasoning +works +required .*via reasoning_content \\(llama.cpp\\)", output);
        Assert.Matches("(?m)^reasoning field: reasoning_content \\(llama.cpp\\)$", output);

        var embeddings = await servers.GetAsync(LiveServer.Embeddings);
        (code, output, _) = await RunAsync("doctor", "--provider", "LlamaCpp", "--endpoint", embeddings.Endpoint.ToString(), "--embeddings", "--require", "embeddings");
        Assert.True(code == 0, output);
        Assert.Matches("(?m)^embeddings +works +required +2 vectors of 8 dimensions", output);
    }

    [Fact]
    public async Task A_required_check_that_fails_makes_the_exit_code_one()
    {
        var server = await servers.GetAsync(LiveServer.Chat);
        var (code, output, _) = await RunAsync("doctor", "--provider", "OpenAICompatible", "--endpoint", new Uri(server.Endpoint, "v1").ToString(), "--model", "tiny", "--require", "reasoning");
        Assert.Equal(1, code);
        Assert.Matches("(?m)^reasoning +FAILS +required ", output);
        Assert.Contains("verdict: 1 required check(s) did not pass", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_gives_a_clear_report_without_a_stack_trace_and_exit_code_one()
    {
        LlamaServerBinary.SkipWhenAbsent();
        int port = LlamaServerProcess.FreePort();
        var (code, output, error) = await RunAsync("doctor", "--provider", "LlamaCpp", "--endpoint", $"http://127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.Empty(error);
        Assert.Matches("(?m)^chat +FAILS +required +connection refused: nothing listens at the endpoint", output);
        Assert.Matches("(?m)^streaming +skipped +required +not run: chat failed", output);
        Assert.Contains("The endpoint did not answer a plain chat request", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_name_the_problem_and_exit_two()
    {
        var (code, _, error) = await RunAsync("doctor", "--provider", "NoSuchProvider", "--endpoint", "http://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("Provider", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("doctor", "--endpoint", "http://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("--provider is required", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("doctor", "--provider", "LlamaCpp", "--require", "teleportation");
        Assert.Equal(2, code);
        Assert.Contains("unknown check \"teleportation\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_is_sent_and_never_printed()
    {
        var server = await servers.GetAsync(LiveServer.Authenticated);
        var (code, output, error) = await RunAsync("doctor", "--provider", "LlamaCpp", "--endpoint", server.Endpoint.ToString(), "--api-key", LlamaServers.ApiKey);
        Assert.True(code == 0, output + error);
        (code, output, error) = await RunAsync("doctor", "--provider", "LlamaCpp", "--endpoint", server.Endpoint.ToString(), "--api-key", "wrong-key-77");
        Assert.Equal(1, code);
        Assert.Matches("(?m)^chat +FAILS +required +AuthenticationFailedException, HTTP 401", output);
        Assert.DoesNotContain("wrong-key-77", output + error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await DoctorCommand.RunAsync(args, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }
}
