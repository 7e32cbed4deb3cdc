using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenModel.AotSmoke;

/// <summary>The smallest HTTP/1.1 server that answers queued responses in order over loopback: no ASP.NET, so nothing but the client is under AOT test.</summary>
internal sealed class CannedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Queue<byte[]> _responses;
    private readonly Task _loop;

    private CannedHttpServer(IEnumerable<byte[]> responses)
    {
        _responses = new Queue<byte[]>(responses);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public static CannedHttpServer Start(params byte[][] responses) => new(responses);

    /// <summary>A recorded <c>curl -i</c> response, re-framed with Content-Length because the recording holds the body already de-chunked.</summary>
    public static byte[] FromRecording(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Replays", name));
        int split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(raw, 0, split).Split("\r\n");
        var body = raw.AsSpan(split + 4).ToArray();
        var kept = head.Where(h => !h.StartsWith("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
            && !h.StartsWith("Content-Length", StringComparison.OrdinalIgnoreCase)
            && !h.StartsWith("Connection", StringComparison.OrdinalIgnoreCase)
            && !h.StartsWith("Keep-Alive", StringComparison.OrdinalIgnoreCase));
        return Frame(string.Join("\r\n", kept), body);
    }

    public static byte[] Sse(string body) => Frame("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream", Encoding.UTF8.GetBytes(body));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private static byte[] Frame(string head, byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"{head}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), .. body];

    private async Task ServeAsync()
    {
        while (true)
        {
            using var socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await ReadRequestAsync(stream).ConfigureAwait(false);
            byte[] response;
            lock (_responses)
            {
                response = _responses.Count > 0 ? _responses.Dequeue() : Frame("HTTP/1.1 599 No Replay", "{}"u8.ToArray());
            }

            await stream.WriteAsync(response).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
    }

    private static async Task ReadRequestAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!(buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return;
            }

            buffer.Add(one[0]);
        }

        var headers = Encoding.ASCII.GetString([.. buffer]);
        var lengthLine = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        int remaining = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[Math.Max(remaining, 1)];
        while (remaining > 0)
        {
            remaining -= await stream.ReadAsync(body.AsMemory(0, remaining)).ConfigureAwait(false);
        }
    }
}
