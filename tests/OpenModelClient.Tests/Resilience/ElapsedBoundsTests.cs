using System.Globalization;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Resilience;

/// <summary>
/// Elapsed bounds on a fake clock (issue 6 §2): the configured client's pipeline and limits take the <see cref="TimeProvider"/>
/// registered in DI, so each wait can be shown to last exactly as long as it should — not a tick less, not a tick more.
/// </summary>
/// <remarks>
/// The pattern: wait (in real time, bounded) until the timer the step is about to fire is armed, advance the clock to just
/// before it is due and check that nothing happened, then advance past it. A fake timer counts from the fake time it was
/// armed at, so advancing before it is armed would be lost. Every real-time wait is bounded and each test has a hard
/// timeout, so a bug fails the test instead of hanging it.
/// </remarks>
public class ElapsedBoundsTests
{
    private const int HardTimeout = 60_000;
    private const string Ok = "chat-nonstream-length";
    private const string Answer = "(@\" uint edge Backgroundatlea Eclipsecept";
    private static readonly TimeSpan Real = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    // The local defaults these tests run with.
    private static readonly TimeSpan FirstChunk = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds => ["sse", "ndjson", "json"];

    private static ReplayResponse Fixture(string scenario) => ReplayResponse.FromFixture("llama.cpp", scenario);

    private static ReplayResponse Answered(string kind) => kind switch
    {
        "sse" => Fixture("chat-stream"),
        "ndjson" => ReplayResponse.FromFixture("ollama", "chat-stream-text"),
        _ => Fixture(Ok),
    };

    private static (string, string)[] ProviderOf(string kind) =>
        kind == "ndjson" ? [("Provider", "Ollama"), ("Model", "qwen3")] : [];

    private static async Task<string> CallAsync(IChatClient client, string kind, CancellationToken cancellationToken)
    {
        if (kind == "json")
        {
            return (await client.GetResponseAsync("hi", cancellationToken: cancellationToken)).Text;
        }

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
        {
            text += update.Text;
        }

        return text;
    }

    // The negative half of a bound: after the clock stopped just short of a deadline, nothing happens (given real time to happen).
    private static async Task StaysPendingAsync(Task call, ReplayServer server, int requests)
    {
        await Task.Delay(300, Ct);
        Assert.False(call.IsCompleted, $"The call ended before its time: {call.Exception?.InnerException?.Message}");
        Assert.Equal(requests, server.RequestCount);
    }

    private static bool Names(Exception e, string limit)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x.Message.Contains(limit, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    [Fact(Timeout = HardTimeout)]
    public async Task A_Retry_After_is_waited_for_on_the_clock_not_a_tick_less()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""").WithRetryAfter("20"),
            Fixture(Ok));
        await using var hosted = HostedClient.Create(server, clock);

        var call = hosted.Client.GetResponseAsync("hi", cancellationToken: ct);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(20), Real);
        clock.Advance(TimeSpan.FromSeconds(20) - Tick);
        await StaysPendingAsync(call, server, requests: 1);
        clock.Advance(Tick * 2);

        var response = await call.WaitAsync(Real, ct);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(2, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task A_Retry_After_date_counts_from_the_servers_Date_and_is_waited_for_on_the_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        var serverNow = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero); // neither the fake clock's time nor the machine's
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""")
                .WithHeader("Date", serverNow.ToString("R", CultureInfo.InvariantCulture))
                .WithRetryAfter(serverNow.AddSeconds(20).ToString("R", CultureInfo.InvariantCulture)),
            Fixture(Ok));
        await using var hosted = HostedClient.Create(server, clock);

        var call = hosted.Client.GetResponseAsync("hi", cancellationToken: ct);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(20), Real);
        clock.Advance(TimeSpan.FromSeconds(20) - Tick);
        await StaysPendingAsync(call, server, requests: 1);
        clock.Advance(Tick * 2);

        Assert.Equal(ChatFinishReason.Length, (await call.WaitAsync(Real, ct)).FinishReason);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task A_Retry_After_beyond_the_cap_ends_the_call_without_waiting()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(429, """{"error":{"message":"come back later","type":"rate_limit_error"}}""").WithRetryAfter("100").WithHeader("x-request-id", "req-7"),
            Fixture(Ok));
        await using var hosted = HostedClient.Create(server, clock, ("Retry:MaxRetryAfter", "00:00:30"));

        // The clock never moves: had the pipeline waited on it, the call could not end.
        var e = await Assert.ThrowsAsync<RateLimitedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: ct).WaitAsync(Real, ct));

        Assert.Equal(TimeSpan.FromSeconds(100), e.RetryAfter);
        Assert.Equal("req-7", e.RequestId);
        Assert.Equal(1, server.RequestCount);
        Assert.DoesNotContain(clock.ArmedTimers, t => t.DueTime == TimeSpan.FromSeconds(100));
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task A_Retry_After_within_the_budget_is_waited_for_and_one_beyond_what_is_left_of_it_is_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        var busy = ReplayResponse.Json(503, """{"error":{"message":"busy","type":"unavailable_error","code":503}}""").WithRetryAfter("20");
        await using var server = await ReplayServer.StartAsync(busy, busy, Fixture(Ok));
        await using var hosted = HostedClient.Create(server, clock, ("Timeouts:Total", "00:00:30"));

        var call = hosted.Client.GetResponseAsync("hi", cancellationToken: ct);

        // 20 s of the 30 s budget: waited for.
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(20), Real);
        clock.Advance(TimeSpan.FromSeconds(20) - Tick);
        await StaysPendingAsync(call, server, requests: 1);
        clock.Advance(Tick);

        // Another 20 s with 10 s left: the call ends at once, the clock standing at 20 s.
        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => call.WaitAsync(Real, ct));
        Assert.Equal(TimeSpan.FromSeconds(20), e.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(20), clock.Elapsed);
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(1, server.PendingResponses);
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task The_backoff_between_503_retries_is_waited_for_on_the_clock_and_grows()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync(Fixture("health-503-loading"), Fixture("health-503-loading"), Fixture(Ok));
        await using var hosted = HostedClient.Create(server, clock, ("Retry:BaseDelay", "00:00:01"));

        var call = hosted.Client.GetResponseAsync("hi", cancellationToken: ct);
        var waited = TimeSpan.Zero;
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            // Jittered exponential backoff from a 1 s base: the n-th wait is above zero and below 1.5 × 2^(n-1) s.
            var backoff = await clock.WaitForTimerAsync(t => t.DueTime > TimeSpan.Zero && t.DueTime < TimeSpan.FromMinutes(1), "a backoff delay", Real);
            Assert.InRange(backoff.DueTime, Tick, TimeSpan.FromSeconds(1.5 * Math.Pow(2, attempt - 1)));
            if (backoff.DueTime > Tick)
            {
                clock.Advance(backoff.DueTime - Tick);
                await StaysPendingAsync(call, server, requests: attempt);
                clock.Advance(Tick * 2);
            }
            else
            {
                clock.Advance(backoff.DueTime);
            }

            waited += backoff.DueTime;
            await server.WaitForRequestsAsync(attempt + 1, Real);
        }

        Assert.Equal(Answer, (await call.WaitAsync(Real, ct)).Text);
        Assert.Equal(3, server.RequestCount);
        Assert.InRange(clock.Elapsed, waited, waited + (Tick * 2));
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task An_open_circuit_fails_fast_for_its_break_duration_then_lets_a_call_through()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync([.. Enumerable.Repeat(Fixture("error-500-malformed-json"), 6), Fixture(Ok)]);
        await using var hosted = HostedClient.Create(server, clock, ("Retry:MaxAttempts", "1"));
        for (int i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<OpenModelException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: ct).WaitAsync(Real, ct));
        }

        // Open for 15 s of the clock: fails fast without a request, right up to the end of the break.
        clock.Advance(TimeSpan.FromSeconds(15) - Tick);
        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: ct).WaitAsync(Real, ct));
        Assert.Equal("circuit_open", e.ErrorCode);
        Assert.Equal(6, server.RequestCount);

        clock.Advance(Tick * 2);
        Assert.Equal(ChatFinishReason.Length, (await hosted.Client.GetResponseAsync("hi", cancellationToken: ct).WaitAsync(Real, ct)).FinishReason);
        Assert.Equal(7, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task A_stalled_stream_is_cut_when_the_idle_limit_has_passed_on_the_clock_not_before()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream").StallAfterBytes(600));
        await using var hosted = HostedClient.Create(server, clock);
        var text = string.Empty;
        var consume = Task.Run(
            async () =>
            {
                await foreach (var update in hosted.Client.GetStreamingResponseAsync("hi", cancellationToken: ct))
                {
                    text += update.Text;
                }
            },
            ct);

        // The read that waits on the silent socket: an idle timer that stays armed (earlier reads each armed and disarmed one).
        var stalled = await WaitForStableTimerAsync(clock, Idle);
        clock.Advance(Idle - Tick);
        await StaysPendingAsync(consume, server, requests: 1);
        Assert.True(stalled.IsActive);
        clock.Advance(Tick * 2);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => consume.WaitAsync(Real, ct));
        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Idle", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(text);
        Assert.StartsWith(text, Answer, StringComparison.Ordinal);
        Assert.NotEqual(Answer, text);
        await server.WaitForClientAbortAsync(Real);
        await server.WaitForActiveConnectionsAsync(0, Real);
    }

    [Theory(Timeout = HardTimeout)]
    [MemberData(nameof(Kinds))]
    public async Task No_headers_within_the_first_chunk_limit_cuts_each_attempt_on_the_clock_then_is_a_timeout_error(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        var silent = Answered(kind).WithFirstByteDelay(TimeSpan.FromMinutes(10)); // real time: released when the client leaves
        await using var server = await ReplayServer.StartAsync(silent, silent, silent);
        await using var hosted = HostedClient.Create(server, clock, ProviderOf(kind));

        var call = CallAsync(hosted.Client, kind, ct);
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            await server.WaitForRequestsAsync(attempt, Real);
            var attemptTimeout = await clock.WaitForTimerAsync(FirstChunk, Real);
            clock.Advance(FirstChunk - Tick);
            await StaysPendingAsync(call, server, requests: attempt);
            clock.Advance(Tick * 2);
            Assert.False(attemptTimeout.IsActive);
            if (attempt < 3)
            {
                var backoff = await clock.WaitForTimerAsync(t => t.DueTime < TimeSpan.FromMinutes(1), "a backoff delay", Real);
                clock.Advance(backoff.DueTime);
            }
        }

        var e = await Assert.ThrowsAsync<OpenModelException>(() => call.WaitAsync(Real, ct));
        Assert.Equal(OpenModelErrorKind.Timeout, e.Kind);
        Assert.Equal("first_chunk_timeout", e.ErrorCode);
        Assert.Equal(3, server.RequestCount);
        await server.WaitForActiveConnectionsAsync(0, Real);
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Theory(Timeout = HardTimeout)]
    [MemberData(nameof(Kinds))]
    public async Task Headers_then_no_first_byte_within_the_first_chunk_limit_is_a_truncated_error_naming_it(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync(Answered(kind).StallAfterBytes(0), Answered(kind));
        await using var hosted = HostedClient.Create(server, clock, ProviderOf(kind));

        var call = CallAsync(hosted.Client, kind, ct);
        // The first body read's timer (the attempt's own FirstChunk timeout, also 10 min, goes once the headers are in). Waiting for
        // the server to have the request first keeps a slow connect on a busy machine from passing the attempt's timer off as stable.
        await server.WaitForRequestsAsync(1, Real);
        var firstRead = await WaitForStableTimerAsync(clock, FirstChunk);
        clock.Advance(FirstChunk - Tick);
        await StaysPendingAsync(call, server, requests: 1);
        Assert.True(firstRead.IsActive);
        clock.Advance(Tick * 2);

        // Headers came, so the attempt counted: not retried (retries happen only before the response headers).
        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => call.WaitAsync(Real, ct));
        Assert.True(e.IsTruncated);
        Assert.True(Names(e, "Timeouts:FirstChunk"), e.ToString());
        Assert.Equal(1, server.RequestCount);
        await server.WaitForActiveConnectionsAsync(0, Real);
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task The_total_budget_spent_before_the_headers_is_a_timeout_error_at_exactly_the_budget()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream").WithFirstByteDelay(TimeSpan.FromMinutes(10)));
        await using var hosted = HostedClient.Create(server, clock, ("Timeouts:Total", "00:00:30"));

        var call = CallAsync(hosted.Client, "sse", ct);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(30), Real);
        clock.Advance(TimeSpan.FromSeconds(30) - Tick);
        await StaysPendingAsync(call, server, requests: 1);
        clock.Advance(Tick * 2);

        var e = await Assert.ThrowsAsync<OpenModelException>(() => call.WaitAsync(Real, ct));
        Assert.Equal(OpenModelErrorKind.Timeout, e.Kind);
        Assert.Equal("total_timeout", e.ErrorCode);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientAbortAsync(Real);
        await server.WaitForActiveConnectionsAsync(0, Real);
    }

    [Fact(Timeout = HardTimeout)]
    public async Task The_total_budget_cuts_a_live_stream_once_spent_never_before()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ObservedClock();
        var step = TimeSpan.FromSeconds(3);
        var total = TimeSpan.FromSeconds(20);
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream").WithDelayBetweenChunks(TimeSpan.FromMilliseconds(100)));
        await using var hosted = HostedClient.Create(server, clock, ("Timeouts:Total", "00:00:20"));
        var text = string.Empty;

        // Every chunk arrives 3 s after the last on the clock, far inside Idle; 11 of them would take 33 s, past the 20 s budget.
        // The clock moves only while the budget lasts, so the cut has to come without it moving again.
        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in hosted.Client.GetStreamingResponseAsync("hi", cancellationToken: ct).WithCancellation(ct))
            {
                text += update.Text;
                if (clock.Elapsed < total)
                {
                    clock.Advance(step);
                }
            }
        }).WaitAsync(Real, ct);

        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Total", e.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, total, total + step - Tick);
        Assert.StartsWith(text, Answer, StringComparison.Ordinal);
        Assert.NotEqual(Answer, text);
        await server.WaitForClientConnectionsReleasedAsync(Real);
    }

    // An active timer due in exactly dueTime that is still the same one after a pause: the read it guards is really waiting.
    private static async Task<ObservedClock.ArmedTimer> WaitForStableTimerAsync(ObservedClock clock, TimeSpan dueTime)
    {
        using var expiry = new CancellationTokenSource(Real);
        while (true)
        {
            var timer = await clock.WaitForTimerAsync(dueTime, Real);
            await Task.Delay(300, expiry.Token);
            if (timer.IsActive && clock.ActiveTimers.Count(t => t.DueTime == dueTime) == 1)
            {
                return timer;
            }
        }
    }
}
