using System.Net;

namespace OpenModelClient;

/// <summary>The prompt (plus the requested output) does not fit the model's context window.</summary>
public sealed class ContextLengthExceededException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="ContextLengthExceededException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response, if one was received.</param>
    /// <param name="providerMessage">The provider's own error message, if any.</param>
    /// <param name="errorCode">The provider's error code or type, if any.</param>
    /// <param name="requestId">The request or response id the provider reported, if any.</param>
    /// <param name="promptTokenCount">The prompt size in tokens, when the server reports it.</param>
    /// <param name="contextLength">The available context in tokens, when the server reports it.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ContextLengthExceededException(string provider, HttpStatusCode? statusCode, string? providerMessage, string? errorCode = null, string? requestId = null, long? promptTokenCount = null, long? contextLength = null, Exception? innerException = null)
        : base(OpenModelErrorKind.ContextLengthExceeded, provider, statusCode, providerMessage, errorCode, requestId, innerException)
    {
        PromptTokenCount = promptTokenCount;
        ContextLength = contextLength;
    }

    /// <summary>Gets the prompt size in tokens, when the server reports it (llama.cpp <c>n_prompt_tokens</c>).</summary>
    public long? PromptTokenCount { get; }

    /// <summary>Gets the context available to the request in tokens, when the server reports it (llama.cpp <c>n_ctx</c>, per slot).</summary>
    public long? ContextLength { get; }
}
