using System.Net;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Resilience;

/// <summary>The configured client's retry, Retry-After cap, circuit breaker and timeouts, against real sockets.</summary>
public class ResiliencePipelineTests
{
    private const string Ok = "chat-nonstream-length";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string, string)[] DeepSeek = [("Provider", "DeepSeek"), ("Model", "deepseek-flash"), ("ApiKey", "sk-test")];

    private static ReplayResponse Fixture(string scenario) => ReplayResponse.FromFixture("llama.cpp", scenario);

    [Fact]
    public async Task A_429_with_a_short_Retry_After_is_retried_and_succeeds()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""").WithRetryAfter("1"),
            Fixture(Ok));
        await using var hosted = HostedClient.Create(server);

        var response = await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(2, server.Requests.Count);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_cap_ends_the_call_at_once_with_the_servers_value()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(429, """{"error":{"message":"come back later","type":"rate_limit_error"}}""").WithRetryAfter("120").WithHeader("x-request-id", "req-429"),
            Fixture(Ok));
        await using var hosted = HostedClient.Create(server, ("Retry:MaxRetryAfter", "00:00:30"));

        var e = await Assert.ThrowsAsync<RateLimitedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal("rate_limit_error", e.ErrorCode);
        Assert.Equal("req-429", e.RequestId);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_remaining_total_budget_is_not_waited_for()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(503, """{"error":{"message":"busy","type":"unavailable_error","code":503}}""").WithRetryAfter("20"),
            Fixture(Ok));
        await using var hosted = HostedClient.Create(server, ("Timeouts:Total", "00:00:05"));

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(TimeSpan.FromSeconds(20), e.RetryAfter);
        Assert.Equal("busy", e.ProviderMessage);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_failed_capability_probe_is_not_retried_like_a_generation()
    {
        // The capability guard probes /props before a call with tools. Its 503 means "capabilities unknown": one request, no retries
        // (three probe attempts plus three chat attempts used to reach the circuit breaker's threshold on the very first call).
        await using var server = await ReplayServer.StartAsync(Fixture("health-503-loading"), Fixture(Ok));
        await using var hosted = HostedClient.Create(server, ("CapabilityGuard", "true"));
        using var retries = new RetryCounter(server.BaseAddress.Port);
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => "sunny", "get_weather")] };

        var response = await hosted.Client.GetResponseAsync("hi", options, Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(["/props", "/v1/chat/completions"], server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(0, retries.Count);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_503_storm_then_200_succeeds_within_the_attempt_budget()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("health-503-loading"), Fixture("health-503-loading"), Fixture(Ok));
        await using var hosted = HostedClient.Create(server);
        using var retries = new RetryCounter(server.BaseAddress.Port);

        var response = await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", response.Text);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, retries.Count);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task More_failures_than_attempts_surface_the_last_typed_error()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("health-503-loading"), Fixture("health-503-loading"), Fixture("health-503-loading"), Fixture(Ok));
        await using var hosted = HostedClient.Create(server);

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal("Loading model", e.ProviderMessage);
        Assert.Equal("unavailable_error", e.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(1, server.PendingResponses);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task DeepSeek_server_busy_503s_are_retried_then_succeed()
    {
        var busy = ReplayResponse.FromFixture("deepseek", "error-503-server-busy");
        await using var server = await ReplayServer.StartAsync(busy, busy, ReplayResponse.FromFixture("deepseek", "chat-nonstream"));
        await using var hosted = HostedClient.Create(server, DeepSeek);

        var response = await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("Hello! How can I assist you today? 😊", response.Text);
        Assert.Equal(3, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task DeepSeek_server_busy_on_every_attempt_is_an_overloaded_error_with_the_trace_id()
    {
        var busy = ReplayResponse.FromFixture("deepseek", "error-503-server-busy");
        await using var server = await ReplayServer.StartAsync(busy, busy, busy, ReplayResponse.FromFixture("deepseek", "chat-nonstream"));
        await using var hosted = HostedClient.Create(server, DeepSeek);

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal("deepseek", e.Provider);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal("service_unavailable", e.ErrorCode);
        Assert.Equal("5c1a2b3d4e5f60718293a4b5c6d7e8f9", e.RequestId);
        Assert.Equal(3, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task DeepSeek_insufficient_system_resource_mid_stream_is_not_retried_and_never_looks_complete()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("deepseek", "chat-insufficient-system-resource-stream"), ReplayResponse.FromFixture("deepseek", "chat-thinking-final-stream"));
        await using var hosted = HostedClient.Create(server, DeepSeek);
        var text = string.Empty;

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(async () =>
        {
            await foreach (var update in hosted.Client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                Assert.Null(update.FinishReason);
                text += update.Text;
            }
        });

        Assert.Equal("insufficient_system_resource", e.ErrorCode);
        Assert.True(e.IsTransient);
        Assert.Equal("Partial answer", text);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_connection_reset_before_headers_is_retried()
    {
        await using var server = await ReplayServer.StartAsync(Fixture(Ok).ResetBeforeHeaders(), Fixture(Ok));
        await using var hosted = HostedClient.Create(server);

        var response = await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(2, server.Requests.Count);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-400-missing-messages"), Fixture(Ok));
        await using var hosted = HostedClient.Create(server);

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal("invalid_request_error", e.ErrorCode);
        Assert.Equal("'messages' is required", e.ProviderMessage);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_output_started_is_not_retried()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream").CutAfterBytes(700), Fixture("chat-stream"));
        await using var hosted = HostedClient.Create(server, ("ResumableStreams", "false")); // a replay server cannot resume a stream
        var text = string.Empty;

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in hosted.Client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                text += update.Text;
            }
        });

        Assert.True(e.IsTruncated);
        Assert.Equal("chatcmpl-GfFcxZUS9TuUB14FYkeHWeMVshg6Tvu7", e.RequestId);
        Assert.NotEmpty(text);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task Retries_can_be_turned_off()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("health-503-loading"), Fixture(Ok));
        await using var hosted = HostedClient.Create(server, ("Retry:MaxAttempts", "1"));
        using var retries = new RetryCounter(server.BaseAddress.Port);

        await Assert.ThrowsAsync<ServerOverloadedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Single(server.Requests);
        Assert.Equal(0, retries.Count);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_fails_fast_with_a_typed_error()
    {
        await using var server = await ReplayServer.StartAsync([.. Enumerable.Repeat(Fixture("error-500-malformed-json"), 10)]);
        await using var hosted = HostedClient.Create(server, ("Retry:MaxAttempts", "1"));

        for (int i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<OpenModelException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));
        }

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));
        Assert.Equal("circuit_open", e.ErrorCode);
        Assert.Equal(6, server.Requests.Count);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }
}
