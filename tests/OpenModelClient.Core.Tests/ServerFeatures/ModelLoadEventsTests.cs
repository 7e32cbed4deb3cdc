using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Waiting for a router's model with progress follows <c>GET /models/sse</c> (recorded from the real router while it loaded
/// <c>alpha</c>): each state change and the load's progress reach the caller, and a server without the events is polled.</summary>
public sealed class ModelLoadEventsTests
{
    private const string Provider = "llama.cpp-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_routers_events_report_each_state_and_the_load_progress_until_loaded()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "router-models-sse").ForRequest("GET", "/models/sse"),
            ReplayResponse.FromFixture(Provider, "router-models-before-load").ForRequest("GET", "/models"));
        using var client = new LlamaCppChatClient(server.BaseAddress);
        var seen = new List<ModelStatus>();

        await client.Server.WaitUntilLoadedAsync("alpha", TimeSpan.FromSeconds(30), new ModelRouterTests.SynchronousProgress(seen), Ct);

        Assert.Equal(
            [(ModelLoadState.Unloaded, null), (ModelLoadState.Loading, 0.0), (ModelLoadState.Loading, 1.0), (ModelLoadState.Loaded, (double?)null)],
            seen.Select(s => (s.State, s.Progress)));
        Assert.All(seen, s => Assert.Equal("alpha", s.ModelId));
        Assert.Equal(["GET /models/sse", "GET /models"], server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    [Fact]
    public async Task Without_events_the_wait_polls_the_listing()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "router-sse-missing").ForRequest("GET", "/models/sse"),
            ReplayResponse.FromFixture(Provider, "router-models-before-load"),
            ReplayResponse.FromFixture(Provider, "router-models-one-loaded"));
        using var client = new LlamaCppChatClient(server.BaseAddress);
        var seen = new List<ModelStatus>();

        await client.Server.WaitUntilLoadedAsync("alpha", TimeSpan.FromSeconds(30), new ModelRouterTests.SynchronousProgress(seen), Ct);

        Assert.Equal(["alpha: Unloaded", "alpha: Loaded"], seen.Select(s => s.ToString()));
        Assert.Equal(["GET /models/sse", "GET /models", "GET /models"], server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    [Fact]
    public async Task Without_a_progress_listener_no_event_stream_is_opened()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-models-one-loaded"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        await client.Server.WaitUntilLoadedAsync("alpha", TimeSpan.FromSeconds(30), cancellationToken: Ct);

        Assert.Equal(["GET /models"], server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }
}
