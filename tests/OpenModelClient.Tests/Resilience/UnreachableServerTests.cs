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

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
