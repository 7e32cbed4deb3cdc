using System.Net;
using System.Text.Json;

namespace OpenModelClient;

/// <summary>
/// Notices the non-standard <c>error: {…}</c> SSE line that llama.cpp builds before PR #16109 (September 2025) sent when a generation
/// failed mid-stream, followed by an ordinary <c>data: [DONE]</c>.
/// </summary>
/// <remarks>
/// Every SSE parser, <see cref="System.Net.ServerSentEvents.SseParser"/> included, ignores fields it does not know, as the SSE
/// specification says, so that failure would read as a normal end (the OpenAI SDKs drop it silently). This watcher sees the raw bytes as
/// <see cref="BoundedReadStream"/> reads them from the network and keeps the line's value; the engine checks <see cref="Value"/> when the
/// stream ends, after every event before the line has been handled. The search is one vectorised scan per network read.
/// </remarks>
internal sealed class SseErrorFieldWatcher
{
    /// <summary>The most of the line's value kept: an error object is a few hundred bytes.</summary>
    private const int MaxValueBytes = 16 * 1024;

    private static ReadOnlySpan<byte> FieldName => "error:"u8;

    private readonly List<byte> _value = [];
    private bool _atLineStart = true; // the body starts at a line start
    private int _pendingMatch;        // bytes of "error:" matched at the end of the last read, at a line start
    private bool _capturing;
    private bool _complete;

    /// <summary>Gets the value of the first <c>error:</c> line (without the field name), or <see langword="null"/> if none was seen.</summary>
    public string? Value => _capturing || _complete ? System.Text.Encoding.UTF8.GetString([.. _value]).Trim() : null;

    /// <summary>The typed error for the <c>error:</c> line seen, if any: its JSON value mapped as an in-stream error payload.</summary>
    public OpenModelException? ToException(string provider, HttpStatusCode status, string? requestId)
    {
        if (Value is not { } value)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(value);
            return ProviderErrorMapper.FromStreamPayload(provider, doc.RootElement, requestId);
        }
        catch (JsonException)
        {
            return new OpenModelProtocolException(provider, status, "the stream reported an error in a non-standard 'error:' line", ReceivedText.Prefix(System.Text.Encoding.UTF8.GetBytes(value)), isTruncated: true, requestId: requestId);
        }
    }

    /// <summary>Looks at the next bytes of the body, in order.</summary>
    public void Observe(ReadOnlySpan<byte> read)
    {
        if (_complete || read.IsEmpty)
        {
            return;
        }

        if (_capturing)
        {
            Capture(read);
            return;
        }

        // A field name split across two reads.
        if (_atLineStart || _pendingMatch > 0)
        {
            var expected = FieldName[_pendingMatch..];
            int n = Math.Min(expected.Length, read.Length);
            if (read[..n].SequenceEqual(expected[..n]))
            {
                if (n == expected.Length)
                {
                    StartCapture(read[n..]);
                    return;
                }

                _pendingMatch += n;
                _atLineStart = false;
                return;
            }

            _pendingMatch = 0;
        }

        int from = 0;
        while (true)
        {
            int at = read[from..].IndexOf(FieldName);
            if (at < 0)
            {
                break;
            }

            at += from;
            if (at > 0 && read[at - 1] is (byte)'\n' or (byte)'\r')
            {
                StartCapture(read[(at + FieldName.Length)..]);
                return;
            }

            from = at + 1;
        }

        // Remember whether the next read starts a line, or continues one that may be starting with the field name.
        int lastBreak = read.LastIndexOfAny((byte)'\n', (byte)'\r');
        var tail = read[(lastBreak + 1)..];
        _atLineStart = tail.IsEmpty;
        _pendingMatch = lastBreak >= 0 && !tail.IsEmpty && tail.Length < FieldName.Length && FieldName.StartsWith(tail) ? tail.Length : 0;
    }

    private void StartCapture(ReadOnlySpan<byte> rest)
    {
        _capturing = true;
        _pendingMatch = 0;
        Capture(rest);
    }

    private void Capture(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOfAny((byte)'\n', (byte)'\r');
        var part = end < 0 ? bytes : bytes[..end];
        int room = MaxValueBytes - _value.Count;
        foreach (byte b in part.Length > room ? part[..room] : part)
        {
            _value.Add(b);
        }

        if (end >= 0)
        {
            _capturing = false;
            _complete = true;
        }
    }
}
