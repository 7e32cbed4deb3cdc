using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.Resilience;

/// <summary>A stopped server reads as unreachable on every call, also once enough failures have opened the circuit breaker.</summary>
public class UnreachableServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stopped_server_is_unreachable_on_the_first_call_and_after_the_circuit_opens()
    {
        await using var hosted = HostedClient.Create(new Uri($"http://127.0.0.1:{FreePort()}"), ("CapabilityGuard", "false"));

        var errors = new List<Exception>();
        for (int call = 0; call < 4; call++)
        {
            errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct)));
        }

        Assert.All(errors, e =>
        {
            var http = Assert.IsAssignableFrom<HttpRequestException>(e);
            Assert.Equal(HttpRequestError.ConnectionError, http.HttpRequestError);
            Assert.IsNotType<ServerOverloadedException>(e);
            Assert.DoesNotContain("busy", e.Message, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains("cannot be reached", errors[^1].Message, StringComparison.Ordinal);
        Assert.Contains("circuit breaker", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_circuit_breaker_off_every_call_tries_the_server()
    {
        await using var hosted = HostedClient.Create(new Uri($"http://127.0.0.1:{FreePort()}"), ("CapabilityGuard", "false"), ("CircuitBreaker:Enabled", "false"));

        for (int call = 0; call < 4; call++)
        {
            var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));
            Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
            Assert.DoesNotContain("circuit breaker", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_lower_minimum_throughput_opens_the_circuit_sooner()
    {
        // Two attempts (one call, no retries) are enough to judge; the second call is refused by the open circuit.
        await using var hosted = HostedClient.Create(
            new Uri($"http://127.0.0.1:{FreePort()}"), ("CapabilityGuard", "false"), ("Retry:MaxAttempts", "1"), ("CircuitBreaker:MinimumThroughput", "2"));

        var first = await Assert.ThrowsAnyAsync<HttpRequestException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));
        var second = await Assert.ThrowsAnyAsync<HttpRequestException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));
        var third = await Assert.ThrowsAnyAsync<HttpRequestException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.DoesNotContain("circuit breaker", first.Message, StringComparison.Ordinal);
        Assert.Contains("circuit breaker", third.Message, StringComparison.Ordinal);
        Assert.Equal(HttpRequestError.ConnectionError, second.HttpRequestError);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
