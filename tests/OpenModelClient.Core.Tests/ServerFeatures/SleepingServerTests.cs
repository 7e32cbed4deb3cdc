using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Servers started with <c>--sleep-idle-seconds</c>: a sleeping model is <see cref="ModelLoadState.Sleeping"/>, and loading or
/// waiting for it wakes it with a task that generates nothing. Transcripts recorded from the real server.</summary>
public sealed class SleepingServerTests
{
    private const string Provider = "llama.cpp-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_routers_sleeping_model_is_listed_as_sleeping()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "router-models-sleeping"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var statuses = await client.Server.GetModelStatusesAsync(Ct);

        Assert.Equal(["alpha: Sleeping", "beta: Unloaded"], statuses.Select(s => s.ToString()));
    }

    [Fact]
    public async Task A_single_model_server_that_sleeps_says_so_through_its_props()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "sleeping-models").ForRequest("GET", "/models"),
            ReplayResponse.FromFixture(Provider, "sleeping-props").ForRequest("GET", "/props"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var status = Assert.Single(await client.Server.GetModelStatusesAsync(Ct));

        Assert.Equal(ModelLoadState.Sleeping, status.State);
    }

    [Fact]
    public async Task Loading_a_sleeping_model_wakes_it_instead_of_failing_on_already_running()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "router-load-sleeping-model"), ReplayResponse.FromFixture(Provider, "router-wake-tokenize"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        await client.Server.LoadModelAsync("alpha", Ct);

        Assert.Equal(["POST /models/load", "POST /tokenize"], server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        JsonAssert.Equal("""{"model":"alpha","content":"","add_special":false}""", System.Text.Json.Nodes.JsonNode.Parse(server.Requests[1].BodyText));
    }

    [Fact]
    public async Task Waiting_for_a_sleeping_model_wakes_it_and_reports_sleeping_then_loaded()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "router-sse-missing").ForRequest("GET", "/models/sse"), // events unavailable: polling
            ReplayResponse.FromFixture(Provider, "router-models-sleeping"),
            ReplayResponse.FromFixture(Provider, "router-wake-tokenize"),
            ReplayResponse.FromFixture(Provider, "router-models-woken"));
        using var client = new LlamaCppChatClient(server.BaseAddress);
        var seen = new List<ModelStatus>();

        await client.Server.WaitUntilLoadedAsync("alpha", TimeSpan.FromSeconds(30), new ModelRouterTests.SynchronousProgress(seen), Ct);

        Assert.Equal(["alpha: Sleeping", "alpha: Loaded"], seen.Select(s => s.ToString()));
        Assert.Equal(["GET /models/sse", "GET /models", "POST /tokenize", "GET /models"], server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }
}
