using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OpenModelClient.Tests.Infrastructure;

/// <summary>
/// A real Kestrel HTTP/1.1 server on 127.0.0.1 that answers requests from a queue of
/// <see cref="ReplayResponse"/>s and records what it received. One per test; dispose it.
/// </summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ReplayResponse> _queue;
    private readonly List<RecordedRequest> _requests = [];
    private int _requestCount;
    private readonly CancellationTokenSource _stopping = new();
    private readonly KestrelServer _server;
    private TaskCompletionSource _changed = NewSignal();
    private int _activeConnections;
    private int _clientAborts;
    private int _disposed;
    private ClientConnectionMonitor? _clientConnections;

    private ReplayServer(ReplayResponse[] responses)
    {
        _queue = [.. responses];
        var options = new KestrelServerOptions { AddServerHeader = false }; // the transcript's Server header is the one sent
        options.Limits.MinResponseDataRate = null; // slow-reading or stalled tests must not be cut off by Kestrel
        options.Limits.MinRequestBodyDataRate = null;
        options.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => async connection =>
            {
                Interlocked.Increment(ref _activeConnections);
                Pulse();
                try
                {
                    await next(connection);
                }
                finally
                {
                    Interlocked.Decrement(ref _activeConnections);
                    Pulse();
                }
            });
        });

        // A write buffer of 2 bytes makes every flush of 2+ bytes wait until the socket has sent it.
        // Without it, closing right after a flush (CutAfterBytes) loses bytes still queued in Kestrel,
        // and streamed pieces may coalesce. The cost is irrelevant at test sizes.
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions { MaxWriteBufferSize = 2 }), NullLoggerFactory.Instance);
        _server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
    }

    /// <summary>Root of the server, with a trailing slash: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets or sets a value indicating whether requests are kept for <see cref="Requests"/>; a soak turns it off so its memory figures are the client's alone.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>Gets the number of requests received so far, recorded or not.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Responses not served yet.</summary>
    public int PendingResponses
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Open TCP connections (not requests): shows whether a client released its sockets.</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>Requests the client abandoned (cancelled, disconnected) before the response was finished.</summary>
    public int ClientAbortedRequests => Volatile.Read(ref _clientAborts);

    public static async Task<ReplayServer> StartAsync(params ReplayResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var server = new ReplayServer(responses);
        try
        {
            await server._server.StartAsync(new Application(server.HandleAsync), CancellationToken.None).ConfigureAwait(false);
            var address = server._server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
            server._clientConnections = new ClientConnectionMonitor(server.BaseAddress.Port, server.Pulse);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The client's view of its connections to this server (in use, idle in its pool), from System.Net.Http's metrics.</summary>
    public ClientConnectionMonitor ClientConnections => _clientConnections ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Completes once at least <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => RequestCount >= count, timeout, () => $"Expected {count} request(s) within {timeout}, but {RequestCount} arrived.");

    /// <summary>
    /// Completes once the client holds no connection to this server in use: each one it opened is closed or back in its pool,
    /// so no response was left undisposed. Fails if the client was never seen using a connection (then nothing was shown).
    /// </summary>
    public Task WaitForClientConnectionsReleasedAsync(TimeSpan timeout) =>
        WaitUntilAsync(
            () => ClientConnections.EverActive > 0 && ClientConnections.Active == 0,
            timeout,
            () => $"Expected the client to release its connections within {timeout}: {ClientConnections.Active} still in use, {ClientConnections.Idle} idle, {ClientConnections.EverActive} ever used.");

    public Task WaitForActiveConnectionsAsync(int expected, TimeSpan timeout) =>
        WaitUntilAsync(() => ActiveConnections == expected, timeout, () => $"Expected {expected} active connection(s) within {timeout}, but there are {ActiveConnections}.");

    /// <summary>Completes once at least one request was aborted by the client.</summary>
    public Task WaitForClientAbortAsync(TimeSpan timeout) =>
        WaitUntilAsync(() => ClientAbortedRequests > 0, timeout, () => $"No client abort within {timeout} (aborted requests: {ClientAbortedRequests}).");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Releases stalled and delayed responses first; they abort their connections so the client never
        // sees a truncated body end cleanly. Then Kestrel closes idle keep-alive connections.
        await _stopping.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _server.StopAsync(timeout.Token).ConfigureAwait(false);
        _server.Dispose();
        _stopping.Dispose();
        _clientConnections?.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            var response = Next(await RecordAsync(context, cancellation.Token));
            try
            {
                await response.SendAsync(context, cancellation.Token);
            }
            catch (Exception e) when (!context.Response.HasStarted && !cancellation.IsCancellationRequested)
            {
                // A response Kestrel refuses (say a non-ASCII header value) must fail the test loudly, not as a bare 500.
                context.Response.Clear();
                await Error("Replay Failed", $"replay server: could not send {response}: {e.Message}").SendAsync(context, cancellation.Token);
            }
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            if (_stopping.IsCancellationRequested)
            {
                // Returning normally would let Kestrel write the final chunk of a truncated body.
                context.Abort();
            }
            else
            {
                Interlocked.Increment(ref _clientAborts);
                Pulse();
            }
        }
    }

    private static async Task<RecordedRequest> RecordAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        return new(
            request.Method,
            context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray());
    }

    // Records the request and picks its response: first a route matching it, else the first unrouted one.
    private ReplayResponse Next(RecordedRequest request)
    {
        try
        {
            return Pick(request);
        }
        finally
        {
            Pulse();
        }
    }

    private ReplayResponse Pick(RecordedRequest request)
    {
        lock (_gate)
        {
            _requestCount++;
            if (RecordRequests)
            {
                _requests.Add(request);
            }

            var index = _queue.FindIndex(r => r.Matches(request.Method, request.PathAndQuery));
            if (index < 0)
            {
                index = _queue.FindIndex(r => r.RouteMethod is null);
            }

            if (index >= 0)
            {
                var response = _queue[index];
                _queue.RemoveAt(index);
                return response;
            }
        }

        return Error("Replay Queue Empty", $"replay server: no response queued for {request.Method} {request.PathAndQuery}");
    }

    // 599 is no status any provider uses, so a test that hits it cannot mistake it for a real answer.
    private static ReplayResponse Error(string reasonPhrase, string message)
    {
        var error = new JsonObject { ["error"] = new JsonObject { ["code"] = 599, ["message"] = message, ["type"] = "replay_error" } };
        return ReplayResponse.Json(599, error.ToJsonString()).WithStatus(599, reasonPhrase);
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            (changed, _changed) = (_changed, NewSignal());
        }

        changed.TrySetResult();
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                // Checked under the lock Pulse swaps the signal under, so no change can slip in between.
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(expiry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested)
            {
                throw new TimeoutException(describe());
            }
        }
    }

    // The bare minimum Kestrel needs instead of a generic host: no DI, configuration or logging to build.
    private sealed class Application(Func<HttpContext, Task> handler) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => handler(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
