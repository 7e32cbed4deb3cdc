using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace OpenModelClient;

/// <summary>Removes credentials from every text the library produces about a call: exception messages, provider messages, quoted bytes.</summary>
/// <remarks>
/// A server or proxy may echo the request back (a body quoting the <c>Authorization</c> header, a <c>Location</c> with
/// <c>?api_key=…</c>, a request id that is the key). Each API key a client is configured with is registered here when its
/// transport is built, and <see cref="OpenModelException"/> passes every string it carries through <see cref="Redact"/>, so no
/// path that builds an error can forget it. Any <c>Bearer</c> or <c>Basic</c> credential is removed too, whoever's it is.
/// The registry only grows: a key is small and stays in the process's memory through its options anyway.
/// </remarks>
internal static partial class SecretRedactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "[REDACTED]";

    // Keys shorter than this are not treated as secrets: replacing every "a" in a message would make it unreadable, and a key this short protects nothing.
    private const int MinSecretLength = 6;

    private static readonly ConcurrentDictionary<string, byte> Secrets = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="secret"/> (and its URL-encoded form) so that it is removed from every text the library produces from now on.</summary>
    public static void Register(string? secret)
    {
        if (secret is null || secret.Length < MinSecretLength)
        {
            return;
        }

        Secrets.TryAdd(secret, 0);
        string escaped = Uri.EscapeDataString(secret);
        if (!string.Equals(escaped, secret, StringComparison.Ordinal))
        {
            Secrets.TryAdd(escaped, 0);
        }
    }

    /// <summary>Returns <paramref name="text"/> without any registered secret, any <c>Bearer</c>/<c>Basic</c> credential, or a secret's beginning cut off at the end of the text.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in Secrets.Keys)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }

            text = RedactCutTail(text, secret);
        }

        return CredentialPattern().IsMatch(text) ? CredentialPattern().Replace(text, "$1 " + Mask) : text;
    }

    /// <summary>Whether <paramref name="text"/> holds anything <see cref="Redact"/> would remove.</summary>
    public static bool NeedsRedaction(string? text) => !string.Equals(Redact(text), text, StringComparison.Ordinal);

    /// <summary>
    /// Returns <paramref name="exception"/> itself when no message in its chain holds a secret; otherwise a copy of the chain with
    /// redacted messages (the same <see cref="HttpRequestError"/> and status for an <see cref="HttpRequestException"/>), so that
    /// <see cref="Exception.ToString"/> of an error that wraps it stays clean too.
    /// </summary>
    public static Exception? Sanitize(Exception? exception)
    {
        if (exception is null || !ChainNeedsRedaction(exception))
        {
            return exception;
        }

        var inner = Sanitize(exception.InnerException);
        string message = $"{exception.GetType().Name}: {Redact(exception.Message)}";
        return exception is HttpRequestException http
            ? new HttpRequestException(http.HttpRequestError, message, inner, http.StatusCode)
            : new IOException(message, inner);
    }

    private static bool ChainNeedsRedaction(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is not OpenModelException && NeedsRedaction(e.Message))
            {
                return true;
            }
        }

        return false;
    }

    // A quote cut at a fixed length can end in the middle of a key: drop a trailing piece that is the start of a secret.
    private static string RedactCutTail(string text, string secret)
    {
        var body = text.AsSpan().TrimEnd('…');
        for (int k = Math.Min(secret.Length - 1, body.Length); k >= MinSecretLength; k--)
        {
            if (body.EndsWith(secret.AsSpan(0, k), StringComparison.Ordinal))
            {
                return string.Concat(body[..^k], Mask, text.AsSpan(body.Length));
            }
        }

        return text;
    }

    // "Bearer <token>" or "Basic <token>" as sent in an Authorization header, in any case, whatever follows up to whitespace, a quote or a comma.
    [GeneratedRegex(@"\b(Bearer|Basic)\s+[^\s""',;}\[\]]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialPattern();
}
