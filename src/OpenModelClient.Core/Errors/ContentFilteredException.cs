using System.Net;

namespace OpenModelClient;

/// <summary>The provider's moderation refused the input or the output.</summary>
public sealed class ContentFilteredException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="ContentFilteredException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response, if one was received.</param>
    /// <param name="providerMessage">The provider's own error message, if any.</param>
    /// <param name="errorCode">The provider's error code or type, if any.</param>
    /// <param name="requestId">The request or response id the provider reported, if any.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ContentFilteredException(string provider, HttpStatusCode? statusCode, string? providerMessage, string? errorCode = null, string? requestId = null, Exception? innerException = null)
        : base(OpenModelErrorKind.ContentFiltered, provider, statusCode, providerMessage, errorCode, requestId, innerException)
    {
    }
}
