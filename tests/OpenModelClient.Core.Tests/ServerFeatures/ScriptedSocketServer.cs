using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>A raw loopback HTTP/1.1 server for byte-level misbehaviour: each connection's request head is read and recorded, and
/// the handler writes whatever bytes it likes, then the connection is closed.</summary>
internal sealed class ScriptedSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, Stream, Task<bool>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly Task _accepting;

    /// <param name="handler">Gets the request head and the connection and writes the response; the connection is closed when it returns,
    /// so a chunked body without its last chunk is a stream cut mid-way. It returns whether it meant to cut (for the reader).</param>
    public ScriptedSocketServer(Func<string, Stream, Task<bool>> handler)
    {
        _handler = handler;
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>Gets the request lines received, in order.</summary>
    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests.Select(r => r[..r.IndexOf('\r', StringComparison.Ordinal)])];
            }
        }
    }

    /// <summary>Gets the whole request heads received, in order.</summary>
    public IReadOnlyList<string> RequestHeads
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A chunked SSE response head.</summary>
    public static string SseHead => "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    /// <summary>One HTTP chunk holding <paramref name="text"/>.</summary>
    public static string Chunk(string text) => $"{Encoding.UTF8.GetByteCount(text):x}\r\n{text}\r\n";

    /// <summary>A complete JSON response with the given status.</summary>
    public static string Json(int status, string reason, string body) =>
        $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

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
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string head = await ReadRequestAsync(stream);
                lock (_requests)
                {
                    _requests.Add(head);
                }

                await _handler(head, stream);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task<string> ReadRequestAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(bytes) && await stream.ReadAsync(one, _stop.Token) == 1)
        {
            bytes.Add(one[0]);
        }

        string head = Encoding.UTF8.GetString(bytes.ToArray());
        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (length is not null)
        {
            var body = new byte[int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body, _stop.Token);
            head += Encoding.UTF8.GetString(body);
        }

        return head;
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';
}
