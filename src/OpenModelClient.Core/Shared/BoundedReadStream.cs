namespace OpenModelClient;

/// <summary>A read-only wrapper that stops a response from making the client allocate without bound: it limits the longest line and the whole body.</summary>
/// <remarks>
/// Stream parsers buffer a line (an SSE field, an NDJSON object) until its end; a server that never sends one, or sends
/// gigabytes, would otherwise grow that buffer until the process dies. Exceeding a limit throws <see cref="InvalidDataException"/>,
/// which the engines surface as a protocol error.
/// </remarks>
internal sealed class BoundedReadStream(Stream inner, long maxTotalBytes, int maxLineBytes) : Stream
{
    private long _total;
    private long _lineLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Count(buffer[..inner.Read(buffer)]);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(buffer.AsSpan(offset, await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span[..n]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        _total += read.Length;
        if (_total > maxTotalBytes)
        {
            throw new InvalidDataException($"The response body exceeded {maxTotalBytes} bytes.");
        }

        // Every line in this read counts, including one that began in earlier reads and ends here.
        var rest = read;
        int lineBreak;
        while ((lineBreak = rest.IndexOfAny((byte)'\n', (byte)'\r')) >= 0)
        {
            ThrowIfTooLong(_lineLength + lineBreak);
            _lineLength = 0;
            rest = rest[(lineBreak + 1)..];
        }

        _lineLength += rest.Length;
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
