using System.Buffers;

namespace OpenModelClient;

/// <summary>The one NDJSON (JSON Lines) reader of the codebase: yields each non-blank line of a stream as UTF-8 bytes.</summary>
/// <remarks>
/// Lines end with <c>\n</c> or <c>\r\n</c> (the NDJSON spec; a lone <c>\r</c> is not a line end). Blank and whitespace-only lines are
/// skipped. A last line that has no newline is still returned, with <see cref="IsCurrentLineTerminated"/> <see langword="false"/>, so the
/// caller can tell a complete final object from one cut mid-line. The reader does not parse JSON: callers deserialise
/// <see cref="Current"/> once, with their source-generated context. <see cref="Current"/> is valid until the next read.
/// One instance per stream; not thread-safe. Disposing returns the pooled buffer but does not dispose the stream.
/// </remarks>
internal sealed class JsonLinesReader : IDisposable
{
    /// <summary>The default limit on one line: far above any chat chunk, low enough to stop a runaway body.</summary>
    public const int DefaultMaxLineBytes = 8 * 1024 * 1024;

    // Large enough that a fast stream is read in a few big pieces rather than many small ones.
    private const int InitialBufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;    // first byte not yet returned
    private int _end;      // end of the bytes read so far
    private int _scanned;  // bytes from _start already known to hold no '\n'
    private bool _eof;

    public JsonLinesReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    }

    /// <summary>Gets the current line, without its line ending.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>Gets a value indicating whether the current line ended with a newline; <see langword="false"/> for a last line cut off by the end of the stream.</summary>
    public bool IsCurrentLineTerminated { get; private set; }

    /// <summary>Gets the number of lines returned so far.</summary>
    public int LineCount { get; private set; }

    /// <summary>Advances to the next non-blank line.</summary>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    /// <exception cref="InvalidDataException">A line is longer than the limit.</exception>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeLine())
            {
                return true;
            }

            if (_eof)
            {
                return false;
            }

            PrepareForRead();
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            Advance(read);
        }
    }

    /// <summary>Advances to the next non-blank line if one is already buffered, without reading the stream.</summary>
    /// <returns><see langword="false"/> when the stream must be read: call <see cref="ReadLineAsync"/>.</returns>
    public bool TryReadBufferedLine() => TryTakeLine();

    /// <summary>Advances to the next non-blank line, blocking on the stream.</summary>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    /// <exception cref="InvalidDataException">A line is longer than the limit.</exception>
    public bool ReadLine()
    {
        while (true)
        {
            if (TryTakeLine())
            {
                return true;
            }

            if (_eof)
            {
                return false;
            }

            PrepareForRead();
            Advance(_stream.Read(_buffer, _end, _buffer.Length - _end));
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Current = default;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool TryTakeLine()
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start + _scanned, _end - _start - _scanned);
            int lineEnd;
            bool terminated;
            if (newline >= 0)
            {
                lineEnd = newline;
                terminated = true;
            }
            else if (_eof && _end > _start)
            {
                lineEnd = _end;
                terminated = false;
            }
            else
            {
                _scanned = _end - _start;
                return false;
            }

            var line = _buffer.AsMemory(_start, lineEnd - _start);
            _start = terminated ? lineEnd + 1 : lineEnd;
            _scanned = 0;
            if (terminated && line.Length > 0 && line.Span[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (IsBlank(line.Span))
            {
                continue;
            }

            Current = line;
            IsCurrentLineTerminated = terminated;
            LineCount++;
            return true;
        }
    }

    /// <summary>Makes room after <see cref="_end"/>: compacts the pending bytes to the front, then grows the buffer if it is still full.</summary>
    private void PrepareForRead()
    {
        Current = default;
        int pending = _end - _start;
        if (pending >= _maxLineBytes)
        {
            throw new InvalidDataException($"An NDJSON line is longer than {_maxLineBytes} bytes.");
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            // In long arithmetic: doubling a large buffer or adding to a limit near int.MaxValue must not wrap around.
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Min(Math.Max(_buffer.Length * 2L, InitialBufferBytes), _maxLineBytes + 2L), Array.MaxLength));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private void Advance(int read)
    {
        if (read <= 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }

    // A JSON line starts with '{' almost always; only a line that starts with whitespace needs the scan.
    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IsEmpty || (line[0] is (byte)' ' or (byte)'\t' or (byte)'\r' && line.IndexOfAnyExcept(" \t\r"u8) < 0);
}
