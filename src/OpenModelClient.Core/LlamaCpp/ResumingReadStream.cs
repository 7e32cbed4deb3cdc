namespace OpenModelClient;

/// <summary>A response body that survives a dropped connection: it counts the bytes it has delivered and, when a read fails with an
/// I/O error, reopens the server's stream at that offset and goes on reading, so the reader above sees one unbroken byte stream.</summary>
/// <remarks>
/// Only a broken connection is resumed. A time limit that expired (an <see cref="IOException"/> caused by a <see cref="TimeoutException"/>),
/// the caller's cancellation, and the library's own typed errors pass through unchanged. Each reopen must deliver at least one byte
/// before the next failure, at most <see cref="MaxAttemptsWithoutProgress"/> times in a row, and a stream is reopened at most
/// <see cref="MaxResumes"/> times in all, so a server that keeps failing (or that answers every reopen with the same broken bytes)
/// ends the call instead of looping until the call's time limit. When the stream cannot be reopened, the original failure is thrown with the reason added, and the
/// engine reports it as a truncated stream.
/// </remarks>
internal sealed class ResumingReadStream(Stream first, LlamaCppStreamSession session, HttpRequestMessage original) : ReadOnlyResponseStream
{
    /// <summary>How many reopens in a row may fail to deliver a byte before the stream gives up.</summary>
    public const int MaxAttemptsWithoutProgress = 3;

    /// <summary>How many times one stream may be reopened in all. A connection that really drops does so once or twice in a reply;
    /// more means the server, or something between, breaks every stream it sends.</summary>
    public const int MaxResumes = 5;

    private Stream _inner = first;
    private HttpResponseMessage? _reopened;
    private long _delivered;
    private int _attemptsWithoutProgress;

    /// <summary>Gets the number of bytes delivered so far: the offset a reopen asks for.</summary>
    public long Delivered => _delivered;

    /// <summary>Gets the number of times the stream was reopened.</summary>
    public int Resumes { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                int n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n > 0)
                {
                    _delivered += n;
                    _attemptsWithoutProgress = 0;
                }

                return n;
            }
            catch (Exception e) when (IsBrokenConnection(e, cancellationToken) && _attemptsWithoutProgress < MaxAttemptsWithoutProgress && Resumes < MaxResumes)
            {
                _attemptsWithoutProgress++;
                await ReopenAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _reopened?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsBrokenConnection(Exception e, CancellationToken cancellationToken) =>
        e is IOException or HttpRequestException
        && e is not OpenModelException
        && e.InnerException is not TimeoutException
        && !cancellationToken.IsCancellationRequested;

    private async Task ReopenAsync(Exception broken, CancellationToken cancellationToken)
    {
        _inner.Dispose();
        _reopened?.Dispose();
        _reopened = null;
        try
        {
            (_reopened, _inner) = await session.ReopenAsync(_delivered, original, cancellationToken).ConfigureAwait(false);
            Resumes++;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // OpenModelException is an HttpRequestException: a 404 (session gone) or 400 (offset no longer kept) lands here too.
            _inner = Null;
            throw new IOException($"{broken.Message} Resuming the stream at byte {_delivered} failed: {e.Message}", e);
        }
    }
}
