using System.Net;

namespace OpenModelClient;

/// <summary>Wraps a response body so that each read has a deadline: the first one <c>FirstChunk</c>, later ones <c>Idle</c>, all within <c>Total</c>.</summary>
internal sealed class WatchdogContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly OpenModelResilienceProfile _profile;
    private readonly TimeSpan _firstReadLimit;
    private readonly TimeSpan _totalLimit;
    private readonly TimeProvider _timeProvider;

    public WatchdogContent(HttpContent inner, OpenModelResilienceProfile profile, TimeSpan firstReadLimit, TimeSpan totalLimit, TimeProvider timeProvider)
    {
        _inner = inner;
        _profile = profile;
        _firstReadLimit = firstReadLimit;
        _totalLimit = totalLimit;
        _timeProvider = timeProvider;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        var stream = await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new WatchdogStream(stream, _profile, _firstReadLimit, _totalLimit, _timeProvider);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class WatchdogStream(Stream inner, OpenModelResilienceProfile profile, TimeSpan firstReadLimit, TimeSpan totalLimit, TimeProvider timeProvider) : Stream
    {
        private readonly long _opened = timeProvider.GetTimestamp();
        private bool _firstReadDone;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var (limit, name) = CurrentLimit();
            if (limit == Timeout.InfiniteTimeSpan)
            {
                return await Mark(inner.ReadAsync(buffer, cancellationToken)).ConfigureAwait(false);
            }

            if (limit <= TimeSpan.Zero)
            {
                throw Expired(name, limit, null);
            }

            // The limit runs on the injected clock, the one the limit was computed with; the caller's token cancels it too.
            using var cts = new CancellationTokenSource(limit, timeProvider);
            using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), cts);
            try
            {
                return await Mark(inner.ReadAsync(buffer, cts.Token)).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Expired(name, limit, e);
            }
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

        private async ValueTask<int> Mark(ValueTask<int> read)
        {
            int n = await read.ConfigureAwait(false);
            _firstReadDone = true;
            return n;
        }

        private (TimeSpan Limit, string Name) CurrentLimit()
        {
            var (limit, name) = _firstReadDone ? (profile.Idle, "Timeouts:Idle") : (firstReadLimit, "Timeouts:FirstChunk");
            if (totalLimit != Timeout.InfiniteTimeSpan)
            {
                var left = totalLimit - timeProvider.GetElapsedTime(_opened);
                if (limit == Timeout.InfiniteTimeSpan || left < limit)
                {
                    return (left, "Timeouts:Total");
                }
            }

            return (limit, name);
        }

        // An IOException, because to the reader this is a broken stream; the protocol layer turns it into a truncated-stream error.
        private IOException Expired(string name, TimeSpan limit, Exception? inner) =>
            new($"{profile.Provider}: no data within {(limit > TimeSpan.Zero ? limit : TimeSpan.Zero)} ({name})", new TimeoutException($"{name} elapsed", inner));
    }
}
