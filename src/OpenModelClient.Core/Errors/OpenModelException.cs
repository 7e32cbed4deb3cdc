using System.Net;
using System.Text;

namespace OpenModelClient;

/// <summary>The base of every error this library raises for a model server: it carries the provider, HTTP status, provider error code and request id.</summary>
/// <remarks>
/// Derives from <see cref="HttpRequestException"/> so that resilience predicates and
/// <c>catch (HttpRequestException e) when (e.StatusCode == …)</c> keep working.
/// The message never contains an API key or request content: every configured key and any <c>Bearer</c>/<c>Basic</c>
/// credential is removed from the message, the provider message, the code, the request id and the inner exceptions, whatever the server sent.
/// </remarks>
public class OpenModelException : HttpRequestException
{
    /// <summary>Initializes a new instance of the <see cref="OpenModelException"/> class.</summary>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="provider">The provider name, e.g. <c>llama.cpp</c>.</param>
    /// <param name="statusCode">The HTTP status of the response, if one was received.</param>
    /// <param name="providerMessage">The provider's own error message, if any.</param>
    /// <param name="errorCode">The provider's error code or type, if any.</param>
    /// <param name="requestId">The request or response id the provider reported, if any.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public OpenModelException(
        OpenModelErrorKind kind,
        string provider,
        HttpStatusCode? statusCode,
        string? providerMessage,
        string? errorCode = null,
        string? requestId = null,
        Exception? innerException = null)
        : base(ToHttpRequestError(kind), ComposeMessage(kind, provider, statusCode, SecretRedactor.Redact(providerMessage), SecretRedactor.Redact(errorCode), SecretRedactor.Redact(requestId)), SecretRedactor.Sanitize(innerException), statusCode)
    {
        // Every text a server sent passes the redactor here, the one place every error of the library is built.
        Kind = kind;
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        ProviderMessage = SecretRedactor.Redact(providerMessage);
        ErrorCode = SecretRedactor.Redact(errorCode);
        RequestId = SecretRedactor.Redact(requestId);
    }

    /// <summary>Gets what kind of failure this is.</summary>
    public OpenModelErrorKind Kind { get; }

    /// <summary>Gets the provider name, e.g. <c>llama.cpp</c>, <c>ollama</c>, <c>deepseek</c>.</summary>
    public string Provider { get; }

    /// <summary>Gets the provider's own error message, if any.</summary>
    public string? ProviderMessage { get; }

    /// <summary>Gets the provider's error code or error type (e.g. <c>exceed_context_size_error</c>, <c>insufficient_quota</c>), if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the request id (from a response header or the error body) or the response id, if any.</summary>
    public string? RequestId { get; }

    /// <summary>Gets a value indicating whether retrying the same request later may succeed.</summary>
    public virtual bool IsTransient => Kind is OpenModelErrorKind.RateLimited or OpenModelErrorKind.ServerOverloaded or OpenModelErrorKind.ServerError or OpenModelErrorKind.Timeout;

    private static HttpRequestError ToHttpRequestError(OpenModelErrorKind kind) =>
        kind == OpenModelErrorKind.Protocol ? HttpRequestError.InvalidResponse : HttpRequestError.Unknown;

    private static string ComposeMessage(OpenModelErrorKind kind, string provider, HttpStatusCode? statusCode, string? providerMessage, string? errorCode, string? requestId)
    {
        var sb = new StringBuilder();
        sb.Append(provider).Append(": ");
        sb.Append(kind switch
        {
            OpenModelErrorKind.InvalidRequest => "the request was rejected",
            OpenModelErrorKind.Authentication => "authentication failed",
            OpenModelErrorKind.InsufficientBalance => "insufficient balance",
            OpenModelErrorKind.ModelNotFound => "model or route not found",
            OpenModelErrorKind.RateLimited => "rate limited",
            OpenModelErrorKind.ContextLengthExceeded => "the prompt exceeds the context window",
            OpenModelErrorKind.ContentFiltered => "content was filtered",
            OpenModelErrorKind.ServerOverloaded => "the server is busy or still loading",
            OpenModelErrorKind.ServerError => "the server failed",
            OpenModelErrorKind.NotSupported => "not supported by this server",
            OpenModelErrorKind.Protocol => "protocol error",
            OpenModelErrorKind.Timeout => "timed out",
            OpenModelErrorKind.OutputLimitReached => "the output limit was reached before the reply was usable",
            OpenModelErrorKind.ResponseSchemaViolated => "the reply does not conform to the requested JSON schema",
            OpenModelErrorKind.InvalidToolCall => "the model made a tool call that cannot be used",
            OpenModelErrorKind.QueueFull => "the client's request queue for this endpoint is full",
            _ => "request failed",
        });
        if (statusCode is { } status)
        {
            sb.Append(" (HTTP ").Append((int)status);
            if (errorCode is not null)
            {
                sb.Append(", ").Append(errorCode);
            }

            sb.Append(')');
        }
        else if (errorCode is not null)
        {
            sb.Append(" (").Append(errorCode).Append(')');
        }

        if (!string.IsNullOrWhiteSpace(providerMessage))
        {
            sb.Append(": ").Append(providerMessage);
        }

        if (requestId is not null)
        {
            sb.Append(" [request id ").Append(requestId).Append(']');
        }

        return sb.ToString();
    }
}
