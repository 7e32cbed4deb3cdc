using System.Net.Sockets;
using System.Text;

namespace OpenModelClient.Tests.Reliability;

/// <summary>One request received by <see cref="RawHttpServer"/> and the raw socket to answer it on.</summary>
internal sealed class RawExchange
{
    private readonly NetworkStream _stream;

    private RawExchange(NetworkStream stream, string head, CancellationToken stopping)
    {
        _stream = stream;
        Head = head;
        Stopping = stopping;
    }

    public string Head { get; }

    public CancellationToken Stopping { get; }

    public static async Task<RawExchange?> ReadAsync(NetworkStream stream, CancellationToken stopping)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd = -1;
        while (headEnd < 0)
        {
            int n = await stream.ReadAsync(buffer, stopping);
            if (n == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, n));
            headEnd = IndexOf(received, "\r\n\r\n"u8);
        }

        string head = Encoding.ASCII.GetString(received.ToArray(), 0, headEnd);
        int length = 0;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        int have = received.Count - headEnd - 4;
        while (have < length)
        {
            int n = await stream.ReadAsync(buffer, stopping);
            if (n == 0)
            {
                return null;
            }

            have += n;
        }

        return new RawExchange(stream, head, stopping);
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, Stopping);
        await _stream.FlushAsync(Stopping);
    }

    /// <summary>Writes <paramref name="text"/> one byte at a time, <paramref name="interval"/> apart, until done or the client leaves.</summary>
    public async Task TrickleAsync(string text, TimeSpan interval)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            await WriteAsync([b]);
            await Task.Delay(interval, Stopping);
        }
    }

    /// <summary>Waits until the client closes its side of the connection; false if it is still open after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForClientCloseAsync(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        cts.CancelAfter(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> pattern)
    {
        for (int i = 0; i + pattern.Length <= data.Count; i++)
        {
            bool match = true;
            for (int j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
