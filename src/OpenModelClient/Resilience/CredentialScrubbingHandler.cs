namespace OpenModelClient;

/// <summary>Wraps a configured client's primary handler: an HTTP failure that quotes what the server sent (an invalid status or header line) loses any credential before anything above logs it.</summary>
/// <remarks>
/// The failure keeps its <see cref="HttpRequestError"/> and status, so the retry and failover decisions are unchanged; only the
/// text is redacted (every configured API key and any <c>Bearer</c>/<c>Basic</c> credential).
/// </remarks>
internal sealed class CredentialScrubbingHandler(HttpMessageHandler primary) : DelegatingHandler(primary)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (SecretRedactor.Sanitize(e) is { } sanitized && !ReferenceEquals(sanitized, e))
        {
            throw sanitized;
        }
    }
}
