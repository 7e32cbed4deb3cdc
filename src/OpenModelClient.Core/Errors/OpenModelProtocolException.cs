using System.Net;

namespace OpenModelClient;

/// <summary>The response broke the wire protocol: a malformed chunk or body, or a stream that ended before its terminator.</summary>
/// <remarks>A stream that is cut never ends like a normal response: this exception is thrown instead, after the updates that did arrive.</remarks>
public sealed class OpenModelProtocolException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="OpenModelProtocolException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response, if one was received.</param>
    /// <param name="message">What was wrong.</param>
    /// <param name="receivedPrefix">The first characters of the offending data, if any.</param>
    /// <param name="isTruncated">Whether the stream ended before its terminator.</param>
    /// <param name="requestId">The request or response id, if known.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public OpenModelProtocolException(string provider, HttpStatusCode? statusCode, string message, string? receivedPrefix = null, bool isTruncated = false, string? requestId = null, Exception? innerException = null)
        : base(OpenModelErrorKind.Protocol, provider, statusCode, receivedPrefix is null ? message : $"{message}; received: {receivedPrefix}", isTruncated ? "truncated_stream" : "malformed_response", requestId, innerException)
    {
        ReceivedPrefix = SecretRedactor.Redact(receivedPrefix);
        IsTruncated = isTruncated;
    }

    /// <summary>Gets the first characters of the offending data, if any.</summary>
    public string? ReceivedPrefix { get; }

    /// <summary>Gets a value indicating whether the stream ended before its terminator (<c>[DONE]</c>, a finish reason, or <c>done: true</c>).</summary>
    public bool IsTruncated { get; }

    /// <inheritdoc />
    public override bool IsTransient => IsTruncated;
}
