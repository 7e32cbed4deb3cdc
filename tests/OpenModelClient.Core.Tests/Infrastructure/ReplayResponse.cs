using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace OpenModelClient.Tests.Infrastructure;

/// <summary>
/// What <see cref="ReplayServer"/> sends for one request: status, headers and exact body bytes, plus
/// optional faults. Immutable; every <c>With…</c> method returns a modified copy.
/// </summary>
public sealed class ReplayResponse
{
    // Connection management belongs to Kestrel; replaying these verbatim would lie about the socket.
    // Content-Length is kept: it decides between fixed-length and chunked framing.
    private static readonly string[] ConnectionHeaders = ["Transfer-Encoding", "Connection", "Keep-Alive"];

    private ReplayChunking? _chunking;
    private Fault _fault;
    private int _faultAfterBytes;

    private ReplayResponse(int statusCode, string? reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Headers = headers;
        Body = body;
    }

    private enum Fault
    {
        None,
        ResetBeforeHeaders,
        CutAfterBytes,
        StallAfterBytes,
    }

    public int StatusCode { get; private set; }

    /// <summary>Reason phrase to send; null lets Kestrel use the standard one.</summary>
    public string? ReasonPhrase { get; private set; }

    /// <summary>Headers sent in this order (Kestrel writes the ones it knows first).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Route set by <see cref="ForRequest"/>; null for a plain queued response.</summary>
    public string? RouteMethod { get; private set; }

    public string? RoutePathAndQuery { get; private set; }

    /// <summary>Explicit chunking, or PerEvent for SSE/NDJSON bodies and Whole otherwise.</summary>
    public ReplayChunking Chunking => _chunking ?? (IsSse || IsNdjson ? ReplayChunking.PerEvent : ReplayChunking.Whole);

    public TimeSpan FirstByteDelay { get; private set; }

    public TimeSpan DelayBetweenChunks { get; private set; }

    private bool IsSse => ContentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private bool IsNdjson => ContentType.Contains("ndjson", StringComparison.OrdinalIgnoreCase);

    private string ContentType => Header("Content-Type") ?? "";

    public static ReplayResponse FromTranscript(HttpTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var headers = transcript.Headers
            .Where(h => !ConnectionHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .ToArray();
        return new(transcript.StatusCode, transcript.ReasonPhrase, headers, transcript.Body.ToArray());
    }

    public static ReplayResponse FromFixture(string provider, string scenario) =>
        FromTranscript(HttpTranscript.Load(provider, scenario));

    /// <summary>A fixed-length JSON body, shaped like llama.cpp's (<c>application/json; charset=utf-8</c>).</summary>
    public static ReplayResponse Json(int status, string body, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var response = Raw(status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }

        return response;
    }

    /// <summary>A chunked <c>text/event-stream</c> body, flushed one event at a time.</summary>
    public static ReplayResponse Sse(string body, int status = 200) =>
        new(status, null, [new("Content-Type", "text/event-stream")], Encoding.UTF8.GetBytes(body));

    /// <summary>A chunked <c>application/x-ndjson</c> body (Ollama style), flushed one line at a time.</summary>
    public static ReplayResponse Ndjson(string body, int status = 200) =>
        new(status, null, [new("Content-Type", "application/x-ndjson")], Encoding.UTF8.GetBytes(body));

    /// <summary>Exact bytes with a Content-Length; drop it with <see cref="WithoutHeader"/> to send chunked.</summary>
    public static ReplayResponse Raw(int status, string contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        KeyValuePair<string, string> length = new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        return new(status, null, string.IsNullOrEmpty(contentType) ? [length] : [new("Content-Type", contentType), length], body.ToArray());
    }

    public ReplayResponse WithStatus(int status, string? reasonPhrase = null) => With(r => (r.StatusCode, r.ReasonPhrase) = (status, reasonPhrase));

    /// <summary>Sets a header, replacing any with the same name. <c>Connection: close</c> is honoured by Kestrel.</summary>
    public ReplayResponse WithHeader(string name, string value)
    {
        // Kestrel leaves chunk framing to the application when this is set: the body would go out unframed.
        if (string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Transfer-Encoding is chosen by the server: omit Content-Length to get chunked.", nameof(name));
        }

        // Replace in place so the header keeps its position.
        var at = Headers.ToList().FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        var headers = WithoutHeader(name).Headers.ToList();
        headers.Insert(at < 0 ? headers.Count : at, new(name, value));
        return With(r => r.Headers = headers);
    }

    public ReplayResponse WithoutHeader(string name) =>
        With(r => r.Headers = [.. Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))]);

    public ReplayResponse WithRetryAfter(string value) => WithHeader("Retry-After", value);

    /// <summary>Waits this long before the status line and headers go out.</summary>
    public ReplayResponse WithFirstByteDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return With(r => r.FirstByteDelay = delay);
    }

    public ReplayResponse WithChunking(ReplayChunking mode) => With(r => r._chunking = mode);

    public ReplayResponse WithDelayBetweenChunks(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return With(r => r.DelayBetweenChunks = delay);
    }

    /// <summary>
    /// Sends the first <paramref name="bytes"/> body bytes, then closes the connection mid-body: the client
    /// reads exactly those bytes, then its read throws an IOException. A chunked body never gets its final chunk.
    /// </summary>
    public ReplayResponse CutAfterBytes(int bytes) => WithFault(Fault.CutAfterBytes, bytes);

    /// <summary>
    /// Resets the connection (RST) without sending any part of the response. Deliberately not a FIN:
    /// SocketsHttpHandler takes a clean close before any response byte for a stale pooled connection
    /// and silently retries the request, which would consume the next queued response.
    /// </summary>
    public ReplayResponse ResetBeforeHeaders() => WithFault(Fault.ResetBeforeHeaders, 0);

    /// <summary>Sends the first <paramref name="bytes"/> body bytes, then goes silent until the client leaves or the server is disposed.</summary>
    public ReplayResponse StallAfterBytes(int bytes) => WithFault(Fault.StallAfterBytes, bytes);

    /// <summary>Serves this response only to the matching request (method case-insensitive, exact raw target).</summary>
    public ReplayResponse ForRequest(string method, string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        return With(r => (r.RouteMethod, r.RoutePathAndQuery) = (method, pathAndQuery));
    }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public override string ToString() =>
        $"{StatusCode} {ContentType} ({Body.Length} bytes, {Chunking}{(_fault == Fault.None ? "" : $", {_fault} {_faultAfterBytes}")})"
        + (RouteMethod is null ? "" : $" for {RouteMethod} {RoutePathAndQuery}");

    internal bool Matches(string method, string pathAndQuery) =>
        string.Equals(RouteMethod, method, StringComparison.OrdinalIgnoreCase) && string.Equals(RoutePathAndQuery, pathAndQuery, StringComparison.Ordinal);

    /// <summary>
    /// Writes the response. Completes once it is fully sent or deliberately aborted; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    internal async Task SendAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (FirstByteDelay > TimeSpan.Zero)
        {
            await Task.Delay(FirstByteDelay, cancellationToken);
        }

        if (_fault == Fault.ResetBeforeHeaders)
        {
            context.Abort();
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCode;
        context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = ReasonPhrase;
        foreach (var (name, value) in Headers)
        {
            if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentLength = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else
            {
                // Not Headers.Append: it silently drops empty values such as llama.cpp's "Access-Control-Allow-Origin: ".
                response.Headers[name] = StringValues.Concat(response.Headers[name], value);
            }
        }

        var length = _fault == Fault.None ? Body.Length : Math.Min(_faultAfterBytes, Body.Length);
        var pieces = Split(Body[..length]);
        if (_fault == Fault.CutAfterBytes && pieces.Count > 1 && pieces[^1].Length == 1)
        {
            // A flush of one pending byte doesn't wait for the socket (see ReplayServer's write buffer), so
            // the FIN could overtake it; two bytes always wait. Only matters for Content-Length bodies,
            // chunked framing adds bytes anyway.
            pieces[^2] = Body[(length - pieces[^2].Length - 1)..length];
            pieces.RemoveAt(pieces.Count - 1);
        }

        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && DelayBetweenChunks > TimeSpan.Zero)
            {
                await Task.Delay(DelayBetweenChunks, cancellationToken);
            }

            await response.BodyWriter.WriteAsync(pieces[i], cancellationToken);
        }

        if (pieces.Count == 0)
        {
            await response.BodyWriter.FlushAsync(cancellationToken); // still push the status line and headers out
        }

        switch (_fault)
        {
            case Fault.CutAfterBytes:
                await CutAsync(context, cancellationToken);
                return;
            case Fault.StallAfterBytes:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                break;
        }

        // Kestrel drops writes on a connection the client closed without throwing: catch that here,
        // before the final chunk would make a truncated exchange look complete.
        cancellationToken.ThrowIfCancellationRequested();
        await response.CompleteAsync();
    }

    // Kestrel aborts with an RST, and an RST lets the client's kernel discard bytes the client has not
    // read yet, so a slow reader could lose the prefix. A FIN is queued behind the data instead: the
    // client reads every byte sent, then sees the body end early. Kestrel's abort follows once the
    // client has gone (or the server stops) and finds nothing left to lose.
    private static async Task CutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.Features.GetRequiredFeature<IConnectionSocketFeature>().Socket.Shutdown(SocketShutdown.Send);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            context.Abort();
        }
    }

    private List<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> body)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        switch (Chunking)
        {
            case ReplayChunking.PerByte:
                for (var i = 0; i < body.Length; i++)
                {
                    pieces.Add(body.Slice(i, 1));
                }

                break;
            case ReplayChunking.PerEvent:
                var separator = IsSse ? "\n\n"u8 : "\n"u8;
                while (!body.IsEmpty)
                {
                    var end = body.Span.IndexOf(separator);
                    var take = end < 0 ? body.Length : end + separator.Length;
                    pieces.Add(body[..take]);
                    body = body[take..];
                }

                break;
            default:
                if (!body.IsEmpty)
                {
                    pieces.Add(body);
                }

                break;
        }

        return pieces;
    }

    private ReplayResponse WithFault(Fault fault, int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return With(r => (r._fault, r._faultAfterBytes) = (fault, bytes));
    }

    private ReplayResponse With(Action<ReplayResponse> change)
    {
        var copy = (ReplayResponse)MemberwiseClone();
        change(copy);
        return copy;
    }
}
