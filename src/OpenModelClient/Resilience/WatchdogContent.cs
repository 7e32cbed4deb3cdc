using System.Runtime.CompilerServices;

namespace OpenModelClient;

/// <summary>Wraps a response body so that the first complete chunk must come within <c>FirstChunk</c>, each later one within <c>Idle</c> of the last, all within <c>Total</c>.</summary>
/// <remarks>
/// A chunk is what the reader above can act on: an SSE event (ended by a blank line) for <c>text/event-stream</c>, a line for
/// anything else (an NDJSON object; a blank line a queued DeepSeek call sends). Bytes that do not complete a chunk reset no clock,
/// so a server trickling a byte at a time is cut like a silent one, while a slow but live generation is never cut.
/// </remarks>
internal sealed class WatchdogContent : WrappedResponseContent
{
    private readonly OpenModelResilienceProfile _profile;
    private readonly TimeSpan _firstReadLimit;
    private readonly TimeSpan _totalLimit;
    private readonly TimeProvider _timeProvider;

    public WatchdogContent(HttpContent inner, OpenModelResilienceProfile profile, TimeSpan firstReadLimit, TimeSpan totalLimit, TimeProvider timeProvider)
        : base(inner)
    {
        _profile = profile;
        _firstReadLimit = firstReadLimit;
        _totalLimit = totalLimit;
        _timeProvider = timeProvider;
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        var stream = await Inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        bool eventStream = string.Equals(Inner.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        return new WatchdogStream(stream, _profile, _firstReadLimit, _totalLimit, _timeProvider, eventStream);
    }

    private sealed class WatchdogStream(Stream inner, OpenModelResilienceProfile profile, TimeSpan firstChunkLimit, TimeSpan totalLimit, TimeProvider timeProvider, bool eventStream) : ReadOnlyResponseStream
    {
        private readonly long _opened = timeProvider.GetTimestamp();
        private bool _firstChunkDone;
        private long _lastChunkAt;
        private bool _atLineStart;
        private bool _afterCarriageReturn;
        private CancellationTokenSource? _deadline;
        private CancellationToken _linkedToken;
        private CancellationTokenRegistration _link;

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // Pooled: a stream waits on the network for almost every chunk, and a boxed state machine per wait is most of what a paced read allocates.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var (left, name) = TimeLeft();
            if (left == Timeout.InfiniteTimeSpan)
            {
                return Observe(buffer, await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
            }

            if (left <= TimeSpan.Zero)
            {
                throw Expired(name, null);
            }

            // One source and one timer for the stream's life, re-armed for each read (a new timer per read cost about 300 bytes a chunk);
            // it runs on the injected clock, the one the limit was computed with. The caller's token (the same one read after read) cancels it too.
            var deadline = Deadline(cancellationToken);
            deadline.CancelAfter(left);
            try
            {
                return Observe(buffer, await inner.ReadAsync(buffer, deadline.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Expired(name, e);
            }
            finally
            {
                if (!deadline.IsCancellationRequested)
                {
                    deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _link.Dispose();
                _deadline?.Dispose();
            }

            base.Dispose(disposing);
        }

        private CancellationTokenSource Deadline(CancellationToken cancellationToken)
        {
            if (_deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
            {
                // The timer fired just as the last read completed in time (a source cannot be un-cancelled): start a fresh one.
                _link.Dispose();
                _deadline.Dispose();
                (_deadline, _link, _linkedToken) = (null, default, default);
            }

            _deadline ??= new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
            if (cancellationToken != _linkedToken)
            {
                _link.Dispose();
                _link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _deadline);
                _linkedToken = cancellationToken;
            }

            return _deadline;
        }

        private int Observe(Memory<byte> buffer, int read)
        {
            if (read > 0 && CompletesChunk(buffer.Span[..read]))
            {
                _firstChunkDone = true;
                _lastChunkAt = timeProvider.GetTimestamp();
            }

            return read;
        }

        // Whether these bytes end a chunk: a blank line (an SSE event's end: \n\n, \r\r or \r\n\r\n, across reads) or, for other bodies, a line feed.
        private bool CompletesChunk(ReadOnlySpan<byte> data)
        {
            if (!eventStream)
            {
                return data.Contains((byte)'\n');
            }

            bool completed = false;
            while (!data.IsEmpty)
            {
                int i = data.IndexOfAny((byte)'\r', (byte)'\n');
                if (i < 0)
                {
                    (_atLineStart, _afterCarriageReturn) = (false, false);
                    break;
                }

                if (i > 0)
                {
                    (_atLineStart, _afterCarriageReturn) = (false, false);
                }

                if (data[i] == (byte)'\n' && _afterCarriageReturn)
                {
                    _afterCarriageReturn = false; // the \n of a \r\n: the line had already ended
                }
                else
                {
                    completed |= _atLineStart;
                    (_atLineStart, _afterCarriageReturn) = (true, data[i] == (byte)'\r');
                }

                data = data[(i + 1)..];
            }

            return completed;
        }

        // Time left on the clock that runs out first: the first chunk's or the idle limit since the last chunk, and the total.
        private (TimeSpan Left, string Name) TimeLeft()
        {
            var (left, name) = _firstChunkDone
                ? (profile.Idle == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : profile.Idle - timeProvider.GetElapsedTime(_lastChunkAt), "Timeouts:Idle")
                : (firstChunkLimit == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : firstChunkLimit - timeProvider.GetElapsedTime(_opened), "Timeouts:FirstChunk");
            if (totalLimit != Timeout.InfiniteTimeSpan)
            {
                var totalLeft = totalLimit - timeProvider.GetElapsedTime(_opened);
                if (left == Timeout.InfiniteTimeSpan || totalLeft < left)
                {
                    return (totalLeft, "Timeouts:Total");
                }
            }

            return (left, name);
        }

        // An IOException, because to the reader this is a broken stream; the protocol layer turns it into a truncated-stream error.
        private IOException Expired(string name, Exception? inner)
        {
            string what = name switch
            {
                "Timeouts:Total" => $"the call's total limit of {HumanDuration.Format(profile.Total)} ran out while the response was still arriving",
                "Timeouts:Idle" => $"the server sent no complete chunk for {HumanDuration.Format(profile.Idle)} after the last one",
                _ => $"the server sent no complete chunk within {HumanDuration.Format(profile.FirstChunk)} of the request",
            };
            return new IOException($"{profile.Provider}: {what} ({name})", new TimeoutException($"{name} elapsed", inner));
        }
    }
}
