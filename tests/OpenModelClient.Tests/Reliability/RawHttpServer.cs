using System.Net;
using System.Net.Sockets;

namespace OpenModelClient.Tests.Reliability;

/// <summary>
/// A deliberately misbehaving HTTP/1.1 server on 127.0.0.1: a raw <see cref="TcpListener"/> whose handler writes every byte
/// itself (trickles, lying framing, cut chunks, oversized headers), one request per connection. Dispose it to stop it.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<RawExchange, Task> _handler;
    private readonly List<Task> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private int _requests;

    private RawHttpServer(Func<RawExchange, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the number of requests whose head was read.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Gets the heads (request line and headers) of the requests received, in order.</summary>
    public List<string> RequestHeads { get; } = [];

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>; the connection is closed when it returns.</summary>
    public static RawHttpServer Start(Func<RawExchange, Task> handler) => new(handler);

    /// <summary>Starts a server that sends the same bytes to every request, then closes the connection.</summary>
    public static RawHttpServer Start(byte[] response) => new(exchange => exchange.WriteAsync(response));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections, _accepting];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_gate)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            try
            {
                var exchange = await RawExchange.ReadAsync(stream, _stopping.Token);
                if (exchange is null)
                {
                    return;
                }

                lock (_gate)
                {
                    RequestHeads.Add(exchange.Head);
                }

                Interlocked.Increment(ref _requests);
                await _handler(exchange);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping: both are part of these tests.
            }
        }
    }
}
