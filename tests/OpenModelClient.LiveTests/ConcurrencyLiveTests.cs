using Microsoft.Extensions.AI;

namespace OpenModelClient.LiveTests;

/// <summary>The client-side concurrency limit read from a real llama-server's <c>/props</c> <c>total_slots</c>.</summary>
public sealed class ConcurrencyLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FromServer_lets_no_more_calls_run_than_the_server_has_slots()
    {
        await using var server = await LlamaServerProcess.StartAsync(LlamaServers.ChatArguments(1024, 2), port: ScalePorts.Next());
        await using var client = LiveClient.Configured(
            new Dictionary<string, string?>
            {
                ["Provider"] = "LlamaCpp",
                ["Endpoint"] = server.Endpoint.ToString(),
                ["Concurrency:FromServer"] = "true",
                ["ResumableStreams"] = "false",
            },
            embeddings: false);
        var options = new ChatOptions { MaxOutputTokens = 32, Seed = 3 };

        // Two streams take the server's two slots and keep them: their callers have not finished reading.
        var first = client.Chat.GetStreamingResponseAsync("one", options, Ct).GetAsyncEnumerator(Ct);
        var second = client.Chat.GetStreamingResponseAsync("two", options, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await first.MoveNextAsync());
        Assert.True(await second.MoveNextAsync());

        var third = client.Chat.GetResponseAsync("three", new ChatOptions { MaxOutputTokens = 4, Seed = 3 }, Ct);
        await Task.Delay(1000, Ct);
        Assert.False(third.IsCompleted, "a third call ran while both of the server's slots were held");

        await first.DisposeAsync();
        var reply = await third.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.NotNull(reply.FinishReason);
        await second.DisposeAsync();
    }
}
