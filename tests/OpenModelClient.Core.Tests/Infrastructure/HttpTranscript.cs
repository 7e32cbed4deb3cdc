using System.Globalization;
using System.Text;

namespace OpenModelClient.Tests.Infrastructure;

/// <summary>
/// One recorded HTTP exchange from <c>Fixtures/{provider}/{scenario}/</c>: the raw response as
/// <c>curl -i</c> wrote it (chunked framing already decoded) plus the request line and body.
/// </summary>
public sealed class HttpTranscript
{
    private static readonly byte[] HeaderTerminator = "\r\n\r\n"u8.ToArray();

    private HttpTranscript(int statusCode, string reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Headers = headers;
        Body = body;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    /// <summary>Response headers in wire order, values verbatim (an empty value stays empty).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Exact response body bytes after the blank line.</summary>
    public byte[] Body { get; }

    public string? RequestMethod { get; private set; }

    /// <summary>Request target exactly as written in <c>request.http</c>, e.g. <c>/v1/chat/completions</c>.</summary>
    public string? RequestPath { get; private set; }

    /// <summary>Exact bytes of <c>request.json</c>; null for GET scenarios that have none.</summary>
    public byte[]? RequestBody { get; private set; }

    public string? RequestJson => RequestBody is null ? null : Encoding.UTF8.GetString(RequestBody);

    private string Name { get; set; } = "(parsed)";

    /// <summary>First value of a response header (case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static string FixturesRoot => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static HttpTranscript Load(string provider, string scenario)
    {
        var dir = Path.Combine(FixturesRoot, provider, scenario);
        var responsePath = Path.Combine(dir, "response.http");
        if (!File.Exists(responsePath))
        {
            throw new FileNotFoundException($"No fixture {provider}/{scenario} (looked for {responsePath}).", responsePath);
        }

        var requestHttp = Path.Combine(dir, "request.http");
        var requestJson = Path.Combine(dir, "request.json");
        var requestLine = File.Exists(requestHttp) ? File.ReadLines(requestHttp).FirstOrDefault()?.Split(' ') : null;
        var transcript = ParseResponse(File.ReadAllBytes(responsePath));
        transcript.RequestMethod = requestLine?.ElementAtOrDefault(0);
        transcript.RequestPath = requestLine?.ElementAtOrDefault(1);
        transcript.RequestBody = File.Exists(requestJson) ? File.ReadAllBytes(requestJson) : null;
        transcript.Name = $"{provider}/{scenario}";
        return transcript;
    }

    /// <summary>Scenario folder names for a provider, sorted ordinally (stable theory data).</summary>
    public static IReadOnlyList<string> Scenarios(string provider) =>
        [.. Directory.GetDirectories(Path.Combine(FixturesRoot, provider))
            .Where(d => File.Exists(Path.Combine(d, "response.http")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>Parses <c>status line CRLF (header CRLF)* CRLF body</c>; the body is kept byte for byte.</summary>
    public static HttpTranscript ParseResponse(ReadOnlySpan<byte> responseHttp)
    {
        var end = responseHttp.IndexOf(HeaderTerminator);
        if (end < 0)
        {
            throw new FormatException("Response has no CRLF CRLF between headers and body.");
        }

        // Latin-1 maps every byte to one char, so odd header bytes survive untouched.
        var lines = Encoding.Latin1.GetString(responseHttp[..end]).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new FormatException($"Bad status line '{lines[0]}'.");
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Bad header line '{line}'.");
            }

            // RFC 9110: optional whitespace around the value is not part of it.
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        return new(code, status.Length > 2 ? status[2] : "", headers, responseHttp[(end + HeaderTerminator.Length)..].ToArray());
    }

    public override string ToString() => $"{Name}: {StatusCode} {ReasonPhrase}, {Body.Length} body bytes";
}
