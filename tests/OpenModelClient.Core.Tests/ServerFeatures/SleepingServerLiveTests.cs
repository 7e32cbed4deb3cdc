using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>The real llama.cpp server started with <c>--sleep-idle-seconds 1</c>: it unloads its model after a second without tasks.</summary>
public sealed class SleepingServerLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sleeping_server_is_reported_sleeping_counts_tokens_exactly_and_wakes_when_waited_for()
    {
        await using var server = await LiveLlamaServer.StartChatAsync("--sleep-idle-seconds", "1");
        using var client = new LlamaCppChatClient(server.Endpoint);
        var counter = client.GetService<IInputTokenCounter>()!;
        ChatMessage[] prompt = [new(ChatRole.User, "hello there")];
        var awake = await counter.CountInputTokensAsync(prompt, cancellationToken: Ct);

        // A count wakes the model and equals the count made while awake, and the server keeps running. Several cycles: on b10309 a bare
        // count sent to a sleeping model dropped its connection and, within two or three wakes, killed the server process.
        for (int cycle = 0; cycle < 4; cycle++)
        {
            await WaitForSleepAsync(client.Server);
            var asleep = await counter.CountInputTokensAsync(prompt, cancellationToken: Ct);
            Assert.True(asleep.IsAvailable, asleep.ToString());
            Assert.Equal(awake.InputTokens, asleep.InputTokens);
            Assert.True((await client.Server.GetHealthAsync(Ct)).IsReady);
        }

        await WaitForSleepAsync(client.Server);
        var seen = new List<ModelStatus>();
        string model = Assert.Single(await client.Server.GetModelStatusesAsync(Ct)).ModelId;
        await client.Server.WaitUntilLoadedAsync(model, TimeSpan.FromSeconds(30), new ModelRouterTests.SynchronousProgress(seen), Ct);

        Assert.Equal([ModelLoadState.Sleeping, ModelLoadState.Loaded], seen.Select(s => s.State));
        Assert.Contains("exiting sleeping state", server.Log, StringComparison.Ordinal);
    }

    private static async Task WaitForSleepAsync(LlamaCppServer server)
    {
        for (int i = 0; i < 100; i++)
        {
            if (Assert.Single(await server.GetModelStatusesAsync(Ct)).State == ModelLoadState.Sleeping)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail("the server never went to sleep");
    }
}
