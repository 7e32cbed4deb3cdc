namespace OpenModelClient;

/// <summary>How much a server may send before a response is refused: the bounds that keep a broken or hostile server from making the client allocate without limit.</summary>
/// <remarks>
/// The defaults are far above any legitimate response. A limit that is exceeded ends the call with an
/// <see cref="OpenModelProtocolException"/> that names it; nothing beyond it is buffered.
/// </remarks>
public sealed class OpenModelResponseLimits
{
    /// <summary>Gets or sets the longest line of a stream (one SSE field or one NDJSON object), in bytes: from 1 to 1 GiB.</summary>
    /// <value>The default is 8 MiB.</value>
    public int MaxLineBytes { get; set; } = JsonLinesReader.DefaultMaxLineBytes;

    /// <summary>Gets or sets the largest non-streamed response body, in bytes: from 1 to 1 GiB.</summary>
    /// <value>The default is 64 MiB.</value>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets the largest streamed response body, in bytes: hours of generation at high speed still fit the default.</summary>
    /// <value>The default is 1 GiB.</value>
    public long MaxStreamBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The largest line or whole body a reader can hold: one buffer of it must fit in a .NET array (and its doubling must not overflow).</summary>
    internal const int MaxBufferedBytes = 1024 * 1024 * 1024;

    /// <summary>A copy for a client to keep (options are read when the client is built), after checking every limit is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative, or a line or body limit is above 1 GiB.</exception>
    internal static OpenModelResponseLimits ValidatedCopy(OpenModelResponseLimits? limits)
    {
        limits ??= new OpenModelResponseLimits();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxLineBytes, nameof(MaxLineBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxBodyBytes, nameof(MaxBodyBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxStreamBytes, nameof(MaxStreamBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limits.MaxLineBytes, MaxBufferedBytes, nameof(MaxLineBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limits.MaxBodyBytes, MaxBufferedBytes, nameof(MaxBodyBytes));
        return new OpenModelResponseLimits { MaxLineBytes = limits.MaxLineBytes, MaxBodyBytes = limits.MaxBodyBytes, MaxStreamBytes = limits.MaxStreamBytes };
    }
}
