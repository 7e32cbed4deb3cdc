namespace OpenModelClient;

/// <summary>Wraps a response body so that a callback runs exactly once when the body is read to its end, or its stream or the
/// content is disposed, whichever comes first: a slot or an in-flight count is held for a whole streamed response, not only
/// until its headers arrive.</summary>
internal sealed class ReleasingContent : WrappedResponseContent
{
    private IDisposable? _release;

    public ReleasingContent(HttpContent inner, IDisposable release)
        : base(inner)
    {
        _release = release;
    }

    /// <summary>Gets a value indicating whether the callback has run.</summary>
    internal bool IsReleased => Volatile.Read(ref _release) is null;

    internal void Release() => Interlocked.Exchange(ref _release, null)?.Dispose();

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return new ReleasingStream(await Inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), this);
        }
        catch
        {
            Release();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    private sealed class ReleasingStream(Stream inner, ReleasingContent owner) : ReadOnlyResponseStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Observe(inner.Read(buffer, offset, count), count);

        public override int Read(Span<byte> buffer) => Observe(inner.Read(buffer), buffer.Length);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Observe(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false), count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Observe(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Release();
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            owner.Release();
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private int Observe(int read, int asked)
        {
            // The end of the body: the server is done with the request, whether or not the reader disposes promptly.
            if (read == 0 && asked > 0)
            {
                owner.Release();
            }

            return read;
        }
    }
}
