using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>A loopback TCP proxy in front of a real server that cuts its first connection after a given number of response bytes,
/// the way a dropped network would; later connections pass through whole. It records the request line of every connection.</summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly long _cutAfterResponseBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requestLines = [];
    private readonly Task _accepting;
    private int _connections;

    public CuttingProxy(Uri target, long cutAfterResponseBytes)
    {
        _target = target;
        _cutAfterResponseBytes = cutAfterResponseBytes;
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>Gets whether the first connection was cut (the response reached the byte count).</summary>
    public bool Cut { get; private set; }

    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_requestLines)
            {
                return [.. _requestLines];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            bool cut = Interlocked.Increment(ref _connections) == 1;
            _ = RelayAsync(client, cut);
        }
    }

    private async Task RelayAsync(TcpClient client, bool cut)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                var down = client.GetStream();
                var up = upstream.GetStream();
                var toServer = CopyRequestAsync(down, up);
                var toClient = CopyResponseAsync(up, down, cut ? _cutAfterResponseBytes : long.MaxValue);
                await Task.WhenAny(toServer, toClient);
                await toClient;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task CopyRequestAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        bool first = true;
        int n;
        while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (first)
            {
                string head = Encoding.ASCII.GetString(buffer, 0, n);
                lock (_requestLines)
                {
                    _requestLines.Add(head[..Math.Max(0, head.IndexOf('\r', StringComparison.Ordinal))]);
                }

                first = false;
            }

            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
    }

    private async Task CopyResponseAsync(Stream from, Stream to, long limit)
    {
        var buffer = new byte[1024];
        long sent = 0;
        int n;
        while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            int take = (int)Math.Min(n, limit - sent);
            await to.WriteAsync(buffer.AsMemory(0, take), _stop.Token);
            sent += take;
            if (sent >= limit)
            {
                Cut = true;
                return; // the connection is closed mid-response
            }
        }
    }
}
