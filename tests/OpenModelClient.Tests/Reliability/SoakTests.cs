using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Reliability;

/// <summary>
/// Many streamed requests through the configured client with 5 % injected faults (half 503 before headers, half a connection cut
/// mid-stream). Every failure must be explained by a fault, connections must not pile up, and memory must return to baseline.
/// CI runs a short soak; <c>OPENMODEL_SOAK_REQUESTS=10000</c> runs the full one (see docs/reliability.md).
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    private const string Expected = "(@\" uint edge Backgroundatlea Eclipsecept";

    [Fact]
    public async Task Streams_with_injected_faults_end_in_success_or_an_explained_typed_error()
    {
        int requests = int.TryParse(Environment.GetEnvironmentVariable("OPENMODEL_SOAK_REQUESTS"), out int n) && n > 0 ? n : 400;
        const int concurrency = 8;
        var ok = ReplayResponse.FromFixture("llama.cpp", "chat-stream");
        var cut = ok.CutAfterBytes(700);
        var busy = ReplayResponse.FromFixture("llama.cpp", "health-503-loading");
        var random = new Random(20261123);
        var queue = new List<ReplayResponse>(requests * 2);
        int cuts = 0, busies = 0;
        for (int i = 0; i < requests; i++)
        {
            double roll = random.NextDouble();
            if (roll < 0.025)
            {
                queue.Add(cut);
                cuts++;
            }
            else if (roll < 0.05)
            {
                queue.Add(busy);
                busies++;
            }
            else
            {
                queue.Add(ok);
            }
        }

        queue.AddRange(Enumerable.Repeat(ok, requests)); // for the retries the 503s cause

        await using var server = await ReplayServer.StartAsync([.. queue]);
        server.RecordRequests = false;
        await using var hosted = HostedClient.Create(server, ("ResumableStreams", "false")); // a replay server cannot resume the cut streams
        var failures = new ConcurrentBag<Exception>();
        int succeeded = 0;

        // Warm up once so the baseline includes the JIT, pools and the connection.
        await ConsumeAsync(hosted.Client, TestContext.Current.CancellationToken);
        Interlocked.Increment(ref succeeded);
        long baseline = Settle();
        var clock = Stopwatch.StartNew();

        await Parallel.ForAsync(1, requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = TestContext.Current.CancellationToken }, async (_, ct) =>
        {
            try
            {
                Assert.Equal(Expected, await ConsumeAsync(hosted.Client, ct));
                Interlocked.Increment(ref succeeded);
            }
            catch (Exception e) when (e is OpenModelException)
            {
                failures.Add(e);
            }
        });

        clock.Stop();
        long after = Settle();
        await server.WaitForActiveConnectionsAsync(server.ActiveConnections, TimeSpan.FromSeconds(1));
        int truncated = failures.Count(f => f is OpenModelProtocolException { IsTruncated: true });
        int overloaded = failures.Count(f => f is ServerOverloadedException);
        output.WriteLine($"requests={requests} (HTTP requests incl. retries: {server.RequestCount}) concurrency={concurrency} injected: cuts={cuts} 503s={busies}");
        output.WriteLine($"succeeded={succeeded} truncated={truncated} overloaded-after-retries={overloaded} other={failures.Count - truncated - overloaded}");
        output.WriteLine($"elapsed={clock.Elapsed.TotalSeconds:F1}s ({requests / clock.Elapsed.TotalSeconds:F0} req/s) open-connections={server.ActiveConnections} managed-heap-delta={(after - baseline) / 1024} KiB");

        Assert.Equal(requests, succeeded + failures.Count);
        Assert.Equal(failures.Count, truncated + overloaded);  // zero unexplained failures
        Assert.Equal(cuts, truncated);                        // each cut, and only a cut, broke a stream
        Assert.True(overloaded <= busies, "an overloaded failure needs a 503 behind it");
        Assert.InRange(server.ActiveConnections, 0, 2 * concurrency); // a pool sized by the concurrency, not by the request count
        Assert.True(after - baseline < 4 * 1024 * 1024, $"managed heap grew by {(after - baseline) / 1024} KiB");
    }

    private static async Task<string> ConsumeAsync(IChatClient client, CancellationToken cancellationToken = default)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
