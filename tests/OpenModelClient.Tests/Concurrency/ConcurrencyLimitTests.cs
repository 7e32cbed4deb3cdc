using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace OpenModelClient.Tests.Concurrency;

/// <summary>The client-side concurrency limit (<c>Concurrency:*</c>) against a real Kestrel server that holds its replies.</summary>
public class ConcurrencyLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_more_than_the_limit_reach_the_server_and_the_rest_wait_their_turn()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "2"));
        var client = provider.Chat();

        var calls = Enumerable.Range(0, 6).Select(_ => client.GetResponseAsync("hi", cancellationToken: Ct)).ToList();
        await server.WaitForAsync(s => s.InFlight == 2);
        await Task.Delay(200, Ct); // time for a third request to arrive if the limit let it through
        Assert.Equal(2, server.Received);

        server.Release(6);
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal("server", r.Text));
        Assert.Equal(6, server.Received);
        Assert.Equal(2, server.MaxInFlight);
    }

    [Fact]
    public async Task A_full_queue_fails_at_once_with_a_typed_error_and_sends_nothing()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "1"), ("Concurrency:QueueLimit", "1"));
        var client = provider.Chat();

        var running = client.GetResponseAsync("one", cancellationToken: Ct);
        await server.WaitForAsync(s => s.InFlight == 1);
        var queued = client.GetResponseAsync("two", cancellationToken: Ct);
        await Task.Delay(100, Ct);

        var e = await Assert.ThrowsAsync<RequestQueueFullException>(() => client.GetResponseAsync("three", cancellationToken: Ct));

        Assert.Equal(OpenModelErrorKind.QueueFull, e.Kind);
        Assert.Equal(1, e.PermitLimit);
        Assert.Equal(1, e.QueueLimit);
        Assert.Contains("Concurrency:QueueLimit", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Received);

        server.Release(2);
        await running;
        await queued;
        Assert.Equal(2, server.Received);
    }

    [Fact]
    public async Task A_streamed_response_holds_its_slot_until_the_stream_is_disposed()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "1"));
        var client = provider.Chat();

        var stream = client.GetStreamingResponseAsync("stream", cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("first", stream.Current.Text);

        server.Hold = false; // the second call would be answered at once, if it were sent
        var second = client.GetResponseAsync("second", cancellationToken: Ct);
        await Task.Delay(300, Ct);
        Assert.Equal(1, server.Received);
        Assert.False(second.IsCompleted);

        await stream.DisposeAsync(); // the caller stops reading half-way
        Assert.Equal("server", (await second.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Text);
        Assert.Equal(2, server.Received);
    }

    [Fact]
    public async Task A_stream_read_to_its_end_frees_its_slot()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "1"), ("Concurrency:QueueLimit", "0"));
        var client = provider.Chat();

        server.Hold = false;
        for (int i = 0; i < 3; i++)
        {
            var text = string.Concat(await client.GetStreamingResponseAsync("stream", cancellationToken: Ct).Select(u => u.Text).ToListAsync(Ct));
            Assert.Equal("first last", text);
        }

        // QueueLimit 0: had a slot leaked, the next call would find none free and fail.
        Assert.Equal("server", (await client.GetResponseAsync("after", cancellationToken: Ct)).Text);
        Assert.Equal(4, server.Received);
    }

    [Fact]
    public async Task A_call_cancelled_while_it_waits_leaves_the_queue_without_taking_a_slot()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "1"), ("Concurrency:QueueLimit", "1"));
        var client = provider.Chat();

        var running = client.GetResponseAsync("one", cancellationToken: Ct);
        await server.WaitForAsync(s => s.InFlight == 1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = client.GetResponseAsync("two", cancellationToken: cts.Token);
        await Task.Delay(100, Ct);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        // The queue has room again, and the freed place took no slot: the next call runs once the first is done.
        var third = client.GetResponseAsync("three", cancellationToken: Ct);
        server.Release(2);
        await running;
        Assert.Equal("server", (await third).Text);
        Assert.Equal(2, server.Received);
    }

    [Fact]
    public async Task The_wait_counts_against_the_total_time_limit()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "1"), ("Timeouts:Total", "00:00:00.500"));
        var client = provider.Chat();

        // A stream whose caller stops reading (without disposing) keeps its slot: no read runs, so no time limit cuts it.
        var holder = client.GetStreamingResponseAsync("stream", cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await holder.MoveNextAsync());

        var e = await Assert.ThrowsAsync<OpenModelException>(() => client.GetResponseAsync("two", cancellationToken: Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct));

        Assert.Equal(OpenModelErrorKind.Timeout, e.Kind);
        Assert.Contains("Timeouts:Total", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Received);
        await holder.DisposeAsync();
    }

    [Fact]
    public async Task The_limit_is_read_from_the_servers_total_slots()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        server.TotalSlots = 3;
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:FromServer", "true"));
        var client = provider.Chat();

        var calls = Enumerable.Range(0, 5).Select(_ => client.GetResponseAsync("hi", cancellationToken: Ct)).ToList();
        await server.WaitForAsync(s => s.InFlight == 3);
        await Task.Delay(200, Ct);
        Assert.Equal(3, server.Received);
        server.Release(5);
        await Task.WhenAll(calls);

        Assert.Equal(3, server.MaxInFlight);
        Assert.Equal(1, server.PropsReads);
    }

    [Fact]
    public async Task MaxConcurrentRequests_caps_what_the_server_reports()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        server.TotalSlots = 8;
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:FromServer", "true"), ("Concurrency:MaxConcurrentRequests", "2"));
        var client = provider.Chat();

        var calls = Enumerable.Range(0, 4).Select(_ => client.GetResponseAsync("hi", cancellationToken: Ct)).ToList();
        await server.WaitForAsync(s => s.InFlight == 2);
        await Task.Delay(200, Ct);
        server.Release(4);
        await Task.WhenAll(calls);

        Assert.Equal(2, server.MaxInFlight);
    }

    [Fact]
    public async Task Waiting_calls_are_counted_on_the_queue_metrics()
    {
        await using var server = await SlotServer.StartAsync(cancellationToken: Ct);
        await using var provider = ConfiguredClient.Build(server.BaseAddress, ("Concurrency:MaxConcurrentRequests", "1"));
        var client = provider.Chat();
        string port = server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        long queueLength = 0, peak = 0;
        var waits = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OpenModelTelemetry.SourceName && instrument.Name.StartsWith("openmodel.client.request.queue", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (HasPort(tags, port))
            {
                lock (waits)
                {
                    queueLength += value;
                    peak = Math.Max(peak, queueLength);
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (HasPort(tags, port))
            {
                lock (waits)
                {
                    waits.Add(value);
                }
            }
        });
        listener.Start();

        var calls = Enumerable.Range(0, 3).Select(_ => client.GetResponseAsync("hi", cancellationToken: Ct)).ToList();
        await server.WaitForAsync(s => s.InFlight == 1);
        await Task.Delay(200, Ct);
        server.Release(3);
        await Task.WhenAll(calls);

        lock (waits)
        {
            Assert.Equal(2, peak);
            Assert.Equal(0, queueLength);
            Assert.Equal(3, waits.Count);
            Assert.Equal(2, waits.Count(w => w >= 0.1)); // two waited at least the 200 ms the first was held
        }
    }

    [Theory]
    [InlineData("Concurrency:MaxConcurrentRequests", "0", "OpenModel:Concurrency:MaxConcurrentRequests '0' must be a whole number from 1")]
    [InlineData("Concurrency:QueueLimit", "-1", "OpenModel:Concurrency:QueueLimit '-1' must be a whole number from 0")]
    [InlineData("Concurrency:FromServer", "yes", "OpenModel:Concurrency:FromServer 'yes' must be true or false")]
    public void Bad_values_fail_at_start_up_naming_the_key(string key, string value, string expected)
    {
        using var provider = ConfiguredClient.Build(new Uri("http://127.0.0.1:1"), (key, value));
        var e = Assert.Throws<OptionsValidationException>(() => provider.Chat());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromServer_is_refused_for_a_provider_without_a_slot_count()
    {
        using var provider = ConfiguredClient.Build(new Uri("http://127.0.0.1:1"), ("Provider", "Ollama"), ("Model", "m"), ("Concurrency:FromServer", "true"));
        var e = Assert.Throws<OptionsValidationException>(() => provider.Chat());
        Assert.Contains("OpenModel:Concurrency:FromServer reads llama.cpp's /props total_slots", e.Message, StringComparison.Ordinal);
        Assert.Contains("Concurrency:MaxConcurrentRequests", e.Message, StringComparison.Ordinal);
    }

    private static bool HasPort(ReadOnlySpan<KeyValuePair<string, object?>> tags, string port)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "server.port" && Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) == port)
            {
                return true;
            }
        }

        return false;
    }
}
