using System.Buffers;

namespace OpenModelClient;

/// <summary>A read-only wrapper that stops a response from making the client allocate without bound (it limits the longest line and
/// the whole body), and that reads the network in large blocks whatever size its caller asks for.</summary>
/// <remarks>
/// Stream parsers buffer a line (an SSE field, an NDJSON object) until its end; a server that never sends one, or sends
/// gigabytes, would otherwise grow that buffer until the process dies. Exceeding a limit throws <see cref="InvalidDataException"/>,
/// which the engines surface as a protocol error.
/// <see cref="System.Net.ServerSentEvents.SseParser"/> reads 1 KB at a time; passed straight down, each of those reads crosses every
/// layer of the HTTP stack (chunked decoding, decompression, the hosted watchdog), which cost more than parsing the bytes. Small reads
/// are therefore served from one pooled block of <see cref="BlockBytes"/>; reads at least that large go straight through.
/// </remarks>
internal sealed class BoundedReadStream(Stream inner, long maxTotalBytes, int maxLineBytes, SseErrorFieldWatcher? errorFieldWatcher = null) : ReadOnlyResponseStream
{
    /// <summary>The size of the reads this stream makes on behalf of smaller ones: a few dozen chunks of a typical token stream.</summary>
    public const int BlockBytes = 16 * 1024;

    private long _total;
    private long _lineLength;
    private byte[]? _block;
    private int _blockStart;
    private int _blockEnd;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_blockStart < _blockEnd)
        {
            return CopyFromBlock(buffer);
        }

        if (buffer.Length >= BlockBytes)
        {
            return Count(buffer[..inner.Read(buffer)]);
        }

        var block = _block ??= ArrayPool<byte>.Shared.Rent(BlockBytes);
        _blockStart = 0;
        _blockEnd = Count(block.AsSpan(0, inner.Read(block, 0, block.Length)));
        return CopyFromBlock(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return new(0);
        }

        if (_blockStart < _blockEnd)
        {
            return new(CopyFromBlock(buffer.Span));
        }

        return buffer.Length >= BlockBytes ? ReadThroughAsync(buffer, cancellationToken) : FillBlockAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            if (_block is { } block)
            {
                _block = null;
                _blockStart = _blockEnd = 0;
                ArrayPool<byte>.Shared.Return(block);
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadThroughAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span[..n]);
    }

    private async ValueTask<int> FillBlockAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var block = _block ??= ArrayPool<byte>.Shared.Rent(BlockBytes);
        int n = await inner.ReadAsync(block, cancellationToken).ConfigureAwait(false);
        _blockStart = 0;
        _blockEnd = Count(block.AsSpan(0, n));
        return CopyFromBlock(buffer.Span);
    }

    private int CopyFromBlock(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _blockEnd - _blockStart);
        _block.AsSpan(_blockStart, n).CopyTo(destination);
        _blockStart += n;
        return n;
    }

    /// <summary>Counts bytes as they arrive from the network, so that the limits hold whatever the callers' read sizes.</summary>
    private int Count(ReadOnlySpan<byte> read)
    {
        _total += read.Length;
        if (_total > maxTotalBytes)
        {
            throw new InvalidDataException($"The response body exceeded {maxTotalBytes} bytes.");
        }

        errorFieldWatcher?.Observe(read);

        int firstBreak = read.IndexOfAny((byte)'\n', (byte)'\r');
        if (firstBreak < 0)
        {
            _lineLength += read.Length;
            ThrowIfTooLong(_lineLength);
            return read.Length;
        }

        // The line carried over from earlier reads ends here; a line wholly inside this read is only checked when the read itself is
        // longer than the limit, since otherwise no such line can exceed it.
        ThrowIfTooLong(_lineLength + firstBreak);
        int lastBreak = read.LastIndexOfAny((byte)'\n', (byte)'\r');
        if (read.Length > maxLineBytes)
        {
            var rest = read[(firstBreak + 1)..(lastBreak + 1)];
            int lineBreak;
            while ((lineBreak = rest.IndexOfAny((byte)'\n', (byte)'\r')) >= 0)
            {
                ThrowIfTooLong(lineBreak);
                rest = rest[(lineBreak + 1)..];
            }
        }

        _lineLength = read.Length - lastBreak - 1;
        ThrowIfTooLong(_lineLength);
        return read.Length;
    }

    private void ThrowIfTooLong(long lineLength)
    {
        if (lineLength > maxLineBytes)
        {
            throw new InvalidDataException($"A response line exceeded {maxLineBytes} bytes without a line break.");
        }
    }
}
