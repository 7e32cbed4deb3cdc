namespace OpenModelClient;

/// <summary>Upper bounds on what a server may send, far above any legitimate response.</summary>
internal static class ResponseLimits
{
    /// <summary>The longest line of a stream (one SSE field or NDJSON object).</summary>
    public const int MaxLineBytes = JsonLinesReader.DefaultMaxLineBytes;

    /// <summary>A whole non-streaming body.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    /// <summary>A whole streamed body: hours of generation at high speed still fit.</summary>
    public const long MaxStreamBytes = 1024L * 1024 * 1024;
}
