using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>llama.cpp router mode and the model lifecycle, over transcripts recorded from a real router (and Ollama's documented shapes).</summary>
public sealed class ModelRouterTests
{
    private const string Provider = "llama.cpp-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_the_routers_models_with_their_state()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-models-unloaded"), ReplayResponse.FromFixture(Provider, "router-models-one-loaded"));
        using var client = new LlamaCppChatClient(server.BaseAddress);
        var lifecycle = client.GetService<IModelLifecycle>()!;

        var before = await lifecycle.GetModelStatusesAsync(Ct);
        var after = await lifecycle.GetModelStatusesAsync(Ct);

        Assert.Equal(["alpha: Unloaded", "beta: Unloaded"], before.Select(s => s.ToString()));
        Assert.Equal(["alpha: Loaded", "beta: Unloaded"], after.Select(s => s.ToString()));
    }

    [Fact]
    public async Task An_unknown_model_is_a_typed_not_found_error_for_chat_and_for_load()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-chat-unknown-model"), ReplayResponse.FromFixture(Provider, "router-load-unknown-model"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var chat = await Assert.ThrowsAsync<ModelNotFoundException>(() => client.GetResponseAsync("hi", new ChatOptions { ModelId = "nope", MaxOutputTokens = 2 }, Ct));
        var load = await Assert.ThrowsAsync<ModelNotFoundException>(() => client.Server.LoadModelAsync("nope", Ct));

        Assert.Equal("model 'nope' not found", chat.ProviderMessage);
        Assert.Contains("'nope' is not one of the server's models", load.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autoload_off_goes_on_every_chat_request()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-chat-unknown-model"));
        using var client = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { AutoloadModels = false });

        await Assert.ThrowsAsync<ModelNotFoundException>(() => client.GetResponseAsync("hi", new ChatOptions { ModelId = "nope" }, Ct));

        Assert.Equal("/v1/chat/completions?autoload=false", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Unloading_a_model_that_is_not_loaded_is_not_an_error()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-unload-not-running"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        await client.Server.UnloadModelAsync("beta", Ct);

        Assert.Equal("""{"model":"beta"}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task A_routers_profile_says_routing_and_leaves_its_zero_context_unknown()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-props"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var caps = await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);

        Assert.True(caps.SupportsModelRouting);
        Assert.Null(caps.ContextLength);
    }

    [Fact]
    public async Task Ollama_loads_with_an_empty_chat_and_unloads_with_keep_alive_zero()
    {
        // Ollama's documented answers (https://github.com/ollama/ollama/blob/main/docs/api.md#load-a-model); no Ollama server was available to record.
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(200, """{"model":"qwen3","created_at":"2026-12-04T18:00:00Z","message":{"role":"assistant","content":""},"done_reason":"load","done":true}"""),
            ReplayResponse.Json(200, """{"models":[{"name":"qwen3","model":"qwen3","size":1,"digest":"d","details":{},"expires_at":"2026-12-04T18:05:00Z","size_vram":1,"context_length":4096}]}"""),
            ReplayResponse.Json(200, """{"model":"qwen3","created_at":"2026-12-04T18:00:01Z","message":{"role":"assistant","content":""},"done_reason":"unload","done":true}"""),
            ReplayResponse.Json(200, """{"models":[{"name":"qwen3","model":"qwen3","modified_at":"2026-12-01T00:00:00Z","size":1,"digest":"d","details":{}},{"name":"gemma3","model":"gemma3","modified_at":"2026-12-01T00:00:00Z","size":1,"digest":"e","details":{}}]}"""),
            ReplayResponse.Json(200, """{"models":[]}"""));
        using var client = new OllamaChatClient(server.BaseAddress, "qwen3");
        var lifecycle = client.GetService<IModelLifecycle>()!;
        var seen = new List<ModelStatus>();

        await lifecycle.LoadModelAsync("qwen3", Ct);
        await lifecycle.WaitUntilLoadedAsync("qwen3", TimeSpan.FromSeconds(10), new SynchronousProgress(seen), Ct);
        await lifecycle.UnloadModelAsync("qwen3", Ct);
        var statuses = await lifecycle.GetModelStatusesAsync(Ct);

        Assert.Equal("""{"model":"qwen3","messages":[],"stream":false}""", server.Requests[0].BodyText);
        Assert.Equal("/api/ps", server.Requests[1].PathAndQuery);
        Assert.Equal("""{"model":"qwen3","messages":[],"stream":false,"keep_alive":0}""", server.Requests[2].BodyText);
        Assert.Equal(ModelLoadState.Loaded, Assert.Single(seen).State);
        Assert.Equal(["qwen3: Unloaded", "gemma3: Unloaded"], statuses.Select(s => s.ToString()));
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> posts to the thread pool, too late for an assertion).</summary>
    internal sealed class SynchronousProgress(List<ModelStatus> seen) : IProgress<ModelStatus>
    {
        public void Report(ModelStatus value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
