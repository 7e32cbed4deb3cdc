namespace OpenModelClient.Tests.Infrastructure;

/// <summary>
/// Read-only stream that hands out at most <c>maxBytesPerRead</c> bytes per read, so stream parsers
/// are exercised with the worst possible fragmentation (by default one byte per read).
/// Owns and disposes the wrapped stream.
/// </summary>
public sealed class TrickleStream : Stream
{
    private readonly Stream _inner;
    private readonly int _maxBytesPerRead;

    public TrickleStream(byte[] data, int maxBytesPerRead = 1)
        : this(new MemoryStream(data, writable: false), maxBytesPerRead)
    {
    }

    public TrickleStream(Stream inner, int maxBytesPerRead = 1)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytesPerRead, 1);
        _inner = inner;
        _maxBytesPerRead = maxBytesPerRead;
    }

    /// <summary>Number of read calls that returned data, to assert a parser really saw fragments.</summary>
    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(_inner.Read(buffer[..Math.Min(buffer.Length, _maxBytesPerRead)]));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _maxBytesPerRead)], cancellationToken).ConfigureAwait(false));

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
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        if (read > 0)
        {
            Reads++;
        }

        return read;
    }
}
