using System.Net;

namespace OpenModelClient;

/// <summary>The server does not have the requested model (for Ollama: pull it first), or the route does not exist.</summary>
public sealed class ModelNotFoundException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="ModelNotFoundException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response, if one was received.</param>
    /// <param name="providerMessage">The provider's own error message, if any.</param>
    /// <param name="errorCode">The provider's error code or type, if any.</param>
    /// <param name="requestId">The request or response id the provider reported, if any.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ModelNotFoundException(string provider, HttpStatusCode? statusCode, string? providerMessage, string? errorCode = null, string? requestId = null, Exception? innerException = null)
        : base(OpenModelErrorKind.ModelNotFound, provider, statusCode, providerMessage, errorCode, requestId, innerException)
    {
    }
}
