using System.Net;

namespace OpenModelClient;

/// <summary>The server throttled the request; it may succeed after <see cref="RetryAfter"/>.</summary>
public sealed class RateLimitedException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="RateLimitedException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response, if one was received.</param>
    /// <param name="providerMessage">The provider's own error message, if any.</param>
    /// <param name="errorCode">The provider's error code or type, if any.</param>
    /// <param name="requestId">The request or response id the provider reported, if any.</param>
    /// <param name="retryAfter">The delay the server asked for in <c>Retry-After</c>, if any.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public RateLimitedException(string provider, HttpStatusCode? statusCode, string? providerMessage, string? errorCode = null, string? requestId = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(OpenModelErrorKind.RateLimited, provider, statusCode, providerMessage, errorCode, requestId, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the delay the server asked for in its <c>Retry-After</c> header, if it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
