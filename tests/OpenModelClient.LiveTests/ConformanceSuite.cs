using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Conformance;

namespace OpenModelClient.LiveTests;

/// <summary>
/// The conformance suite, written once and run per provider: each subclass says how to build its clients and which endpoints it has.
/// The capability tests run the library's own <see cref="ConformanceRunner"/> checks (the ones <c>openmodel doctor</c> prints); the
/// error tests check the typed exceptions. Assertions are about protocol behaviour, never the text of an answer.
/// </summary>
public abstract class ConformanceSuite
{
    /// <summary>The seed every request carries.</summary>
    protected const long Seed = 42;

    /// <summary>Gets the token that ends when the test run is cancelled.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets the model id to send, or <see langword="null"/> for the client's.</summary>
    protected virtual string? Model => null;

    /// <summary>Gets whether the usage carries server timings on this provider.</summary>
    protected virtual bool HasServerTimings => true;

    /// <summary>Gets whether the endpoint's model reasons.</summary>
    protected virtual bool HasReasoning => true;

    /// <summary>Builds a client for one of the endpoints; skips the test when the provider has no such endpoint.</summary>
    /// <param name="server">Which endpoint.</param>
    /// <param name="apiKey">The key to send, or <see langword="null"/> for the endpoint's own.</param>
    /// <param name="model">The model to ask for, or <see langword="null"/> for the default.</param>
    protected abstract Task<LiveClient> ClientAsync(LiveServer server, string? apiKey = null, string? model = null);

    /// <summary>Builds a client for a loopback port where nothing listens.</summary>
    protected abstract LiveClient RefusedClient(Uri endpoint);

    /// <summary>The hook that makes the endpoint's model call tools; <see langword="null"/> for a model that calls them when asked.</summary>
    protected virtual Task<Action<ConformanceCheck, IList<ChatMessage>, ChatOptions>?> ToolHookAsync() => Task.FromResult<Action<ConformanceCheck, IList<ChatMessage>, ChatOptions>?>(null);

    /// <summary>A <c>logit_bias</c> that keeps the model from ending its turn, for tests that need a long stream; <see langword="null"/> sends none.</summary>
    protected virtual JsonObject? KeepTalking() => null;

    /// <summary>Gets the managed server behind an endpoint (llama.cpp only), or <see langword="null"/>.</summary>
    protected virtual Task<LlamaServerProcess?> ServerAsync(LiveServer server) => Task.FromResult<LlamaServerProcess?>(null);

    /// <summary>Gets whether the suite can start servers of its own (llama.cpp).</summary>
    protected virtual bool CanStartServers => false;

    /// <summary>Starts a dedicated server this test may kill (llama.cpp only); skips elsewhere.</summary>
    protected virtual Task<(LlamaServerProcess Server, LiveClient Client)> OwnServerAsync()
    {
        Assert.Skip("needs a server the test controls: llama.cpp only");
        return null!;
    }

    [Fact]
    public Task Chat() => CheckAsync(ConformanceCheck.Chat);

    [Fact]
    public Task Streaming() => CheckAsync(ConformanceCheck.Streaming);

    [Fact]
    public async Task Usage_and_timings_in_the_stream()
    {
        await using var client = await ClientAsync(LiveServer.Chat);
        var runner = new ConformanceRunner(client.Chat, null, Options());
        var usage = await runner.RunCheckAsync(ConformanceCheck.UsageInStream, Ct);
        Assert.True(usage.Passed, usage.ToString());
        if (HasServerTimings)
        {
            var timings = await runner.RunCheckAsync(ConformanceCheck.ServerTimings, Ct);
            Assert.True(timings.Passed, timings.ToString());
        }
    }

    [Fact]
    public Task Tool_call() => CheckAsync(ConformanceCheck.Tools);

    [Fact]
    public Task Streamed_tool_call_is_assembled() => CheckAsync(ConformanceCheck.StreamedTools);

    [Fact]
    public Task Parallel_tool_calls() => CheckAsync(ConformanceCheck.ParallelTools);

    [Fact]
    public Task Json_schema_output() => CheckAsync(ConformanceCheck.JsonSchema);

    [Fact]
    public async Task Reasoning_comes_back_as_reasoning_content()
    {
        if (!HasReasoning)
        {
            Assert.Skip("the endpoint's model does not reason (set OPENMODEL_TEST_<PROVIDER>_REASONING=1 for one that does)");
        }

        await CheckAsync(ConformanceCheck.Reasoning, LiveServer.Reasoning);
    }

    [Fact]
    public Task Embeddings() => CheckAsync(ConformanceCheck.Embeddings, LiveServer.Embeddings);

    [Fact]
    public async Task Wrong_api_key_is_AuthenticationFailedException_without_the_key()
    {
        const string wrongKey = "wrong-key-0a9d";
        await using var client = await ClientAsync(LiveServer.Authenticated, apiKey: wrongKey);
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => client.Chat.GetResponseAsync("Hi", Options(8), Ct));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.False(string.IsNullOrEmpty(e.Provider));
        Assert.DoesNotContain(wrongKey, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_overflow_is_ContextLengthExceededException_streamed_or_not()
    {
        await using var client = await ClientAsync(LiveServer.SmallContext);
        string prompt = string.Join(' ', Enumerable.Repeat("overflow", 600));
        var e = await Assert.ThrowsAsync<ContextLengthExceededException>(() => client.Chat.GetResponseAsync(prompt, Options(8), Ct));
        Assert.True(e.PromptTokenCount > e.ContextLength, $"prompt {e.PromptTokenCount} vs context {e.ContextLength}");
        var streamed = await Assert.ThrowsAsync<ContextLengthExceededException>(async () =>
        {
            await foreach (var update in client.Chat.GetStreamingResponseAsync(prompt, Options(8), Ct))
            {
            }
        });
        Assert.Equal(e.ContextLength, streamed.ContextLength);
    }

    [Fact]
    public async Task Unknown_model_is_ModelNotFoundException()
    {
        const string unknown = "openmodel-no-such-model";
        await using var client = await ClientAsync(LiveServer.Router, model: unknown);
        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => client.Chat.GetResponseAsync("Hi", Options(8, unknown), Ct));
        Assert.NotNull(e.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_stream_releases_the_connection()
    {
        // On llama.cpp a server of its own with one slot, so that its slot shows how far the cancelled generation went.
        var (server, client) = CanStartServers ? await OwnServerAsync() : (null, await ClientAsync(LiveServer.Chat));
        await using var serverScope = server;
        await using var clientScope = client;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int updates = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.Chat.GetStreamingResponseAsync("Tell me a long story.", LongGeneration(), cancel.Token))
            {
                if (++updates == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        // Updates already read into the buffer may still arrive after the cancellation; the stream then ends with the cancellation.
        Assert.True(updates >= 2);
        if (server is not null)
        {
            // The server stops generating only when the client closes the connection: the slot goes idle far short of the 1000-token limit.
            using var management = new LlamaCppServer(server.Endpoint);
            var slot = await WaitForIdleSlotAsync(management);
            int decoded = slot.GetProperty("next_token").EnumerateArray().First().GetProperty("n_decoded").GetInt32();
            Assert.True(decoded < 500, $"the server generated {decoded} tokens after the stream was cancelled at the second update");
        }

        var after = await client.Chat.GetResponseAsync("Hi", Options(8), Ct);
        Assert.NotNull(after.FinishReason);
    }

    [Fact]
    public async Task A_server_killed_mid_stream_is_an_error_not_a_normal_end()
    {
        var (server, client) = await OwnServerAsync();
        await using var serverScope = server;
        await using var clientScope = client;
        int updates = 0;
        var e = await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            await foreach (var update in client.Chat.GetStreamingResponseAsync("Tell me a long story.", LongGeneration(), Ct))
            {
                if (++updates == 2)
                {
                    server.Kill();
                }
            }
        });
        Assert.True(updates >= 2);
        var typed = Assert.IsType<OpenModelProtocolException>(e, exactMatch: false);
        Assert.True(typed.IsTruncated, typed.ToString());
    }

    [Fact]
    public async Task Connection_refused_is_an_HttpRequestException_that_says_so()
    {
        int port = LlamaServerProcess.FreePort();
        await using var client = RefusedClient(new Uri($"http://127.0.0.1:{port}"));
        var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.Chat.GetResponseAsync("Hi", Options(8), Ct));
        Assert.Contains("connection refused", ConformanceRunner.Describe(e), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sixteen_concurrent_streams_on_four_slots_all_complete()
    {
        await using var client = await ClientAsync(LiveServer.Chat);
        var streams = Enumerable.Range(0, 16).Select(async i =>
        {
            // One prompt for all: with a seed the random model then writes the same clean answer in each stream.
            var response = await client.Chat.GetStreamingResponseAsync("Count from one to ten in words.", Options(24), Ct).ToChatResponseAsync(Ct);
            return response;
        });
        var responses = await Task.WhenAll(streams);
        Assert.All(responses, r =>
        {
            Assert.NotNull(r.FinishReason);
            Assert.True(r.Usage?.OutputTokenCount > 0, "usage with output tokens");
        });
        Assert.Equal(16, responses.Select(r => r.ResponseId).Distinct().Count());
        if (await ServerAsync(LiveServer.Chat) is { } server)
        {
            using var management = new LlamaCppServer(server.Endpoint);
            Assert.Equal(4, (await management.GetSlotsAsync(Ct)).Count);
        }
    }

    /// <summary>Options with the seed and a small output limit.</summary>
    protected ChatOptions Options(int maxTokens, string? model = null) => new() { Seed = Seed, MaxOutputTokens = maxTokens, ModelId = model ?? Model };

    private ChatOptions LongGeneration()
    {
        var options = Options(1000);
        if (KeepTalking() is { } bias)
        {
            options.AdditionalProperties = new() { ["logit_bias"] = bias };
        }

        return options;
    }

    private static async Task<JsonElement> WaitForIdleSlotAsync(LlamaCppServer server)
    {
        for (int i = 0; i < 100; i++)
        {
            var slot = (await server.GetSlotsAsync(Ct)).Single();
            if (!(slot.TryGetProperty("is_processing", out var busy) && busy.ValueKind == JsonValueKind.True))
            {
                return slot;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Fail("the slot was still generating 5 s after the stream was cancelled: the connection was not closed");
        return default;
    }

    private async Task CheckAsync(ConformanceCheck check, LiveServer server = LiveServer.Chat)
    {
        await using var client = await ClientAsync(server);
        var options = Options();
        options.ConfigureRequest = await ToolHookAsync();
        var result = await new ConformanceRunner(client.Chat, client.Embeddings, options).RunCheckAsync(check, Ct);
        Assert.True(result.Passed, result.ToString());
    }

    private ConformanceOptions Options() => new() { ModelId = Model, Seed = Seed, CheckTimeout = TimeSpan.FromSeconds(60) };
}
