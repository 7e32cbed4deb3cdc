namespace OpenModelClient;

/// <summary>Reads an Ollama server's version (<c>/api/version</c>) once, when a request's wire form depends on it, and keeps it.</summary>
/// <remarks>
/// A failed read means "unknown" (today's conservative wire form is sent) and is not retried for 30 seconds, so a server without the
/// endpoint is not asked before every request. Thread-safe; concurrent first reads may each ask, which is harmless.
/// </remarks>
internal sealed class OllamaVersionProbe(OllamaServer server, TimeProvider timeProvider)
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The first version that accepts <c>think: "max"</c>; earlier ones know only <c>"low" | "medium" | "high"</c>.</summary>
    public static readonly Version ThinkMax = new(0, 22);

    private Version? _version;
    private long _retryAtTicks;

    /// <summary>Gets whether the server is known to be at least <paramref name="minimum"/>; <see langword="false"/> when older or unknown.</summary>
    public async ValueTask<bool> IsAtLeastAsync(Version minimum, CancellationToken cancellationToken) =>
        await GetAsync(cancellationToken).ConfigureAwait(false) is { } version && version >= minimum;

    private async ValueTask<Version?> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _version) is { } known)
        {
            return known;
        }

        if (timeProvider.GetUtcNow().UtcTicks < Interlocked.Read(ref _retryAtTicks))
        {
            return null;
        }

        try
        {
            var version = Parse(await server.GetVersionAsync(cancellationToken).ConfigureAwait(false));
            if (version is null)
            {
                // A version string this cannot read (a development build) is as good as none: ask again only after the back-off.
                Interlocked.Exchange(ref _retryAtTicks, (timeProvider.GetUtcNow() + FailureBackoff).UtcTicks);
                return null;
            }

            Volatile.Write(ref _version, version);
            return version;
        }
        catch (Exception e) when (e is OpenModelException or HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Interlocked.Exchange(ref _retryAtTicks, (timeProvider.GetUtcNow() + FailureBackoff).UtcTicks);
            return null;
        }
    }

    /// <summary>Parses <c>0.22.1</c>, <c>0.22.0-rc3</c> or <c>v0.23</c>; anything else is unknown.</summary>
    internal static Version? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var span = text.AsSpan().Trim().TrimStart('v');
        int end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] == '.'))
        {
            end++;
        }

        span = span[..end];

        return Version.TryParse(span.TrimEnd('.'), out var version) ? version : null;
    }
}
