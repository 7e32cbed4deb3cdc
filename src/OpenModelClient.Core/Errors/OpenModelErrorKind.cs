namespace OpenModelClient;

/// <summary>Classifies a failure reported by a model server or detected on the wire.</summary>
public enum OpenModelErrorKind
{
    /// <summary>The failure did not match a more specific kind.</summary>
    Unknown,

    /// <summary>The request was rejected as malformed or invalid (HTTP 400/422).</summary>
    InvalidRequest,

    /// <summary>The API key is missing, wrong, or belongs to another region (HTTP 401/403).</summary>
    Authentication,

    /// <summary>The account has no balance or quota left for this request (HTTP 402).</summary>
    InsufficientBalance,

    /// <summary>The requested model or route does not exist on the server (HTTP 404).</summary>
    ModelNotFound,

    /// <summary>The server throttled the request (HTTP 429).</summary>
    RateLimited,

    /// <summary>The prompt does not fit the model's context window.</summary>
    ContextLengthExceeded,

    /// <summary>The provider's moderation refused the input or output.</summary>
    ContentFiltered,

    /// <summary>The server is loading a model, busy, or overloaded (HTTP 503, DeepSeek "server busy").</summary>
    ServerOverloaded,

    /// <summary>The server failed while handling the request (HTTP 5xx).</summary>
    ServerError,

    /// <summary>The server does not offer the requested feature (HTTP 501, e.g. embeddings on a chat-only server).</summary>
    NotSupported,

    /// <summary>A time limit ran out: no first chunk in time, too long a gap between chunks, or the whole call over its budget.</summary>
    Timeout,

    /// <summary>The response broke the wire protocol: malformed data, or a stream cut before its end.</summary>
    Protocol,

    /// <summary>The reply hit the output-token limit before it was usable: reasoning with no answer, or a tool call cut off mid-arguments.</summary>
    OutputLimitReached,

    /// <summary>The server accepted a structured-output constraint (a JSON schema) but the reply does not conform to it.</summary>
    ResponseSchemaViolated,

    /// <summary>The model's tool call names no known tool or carries arguments that cannot be read or repaired.</summary>
    InvalidToolCall,

    /// <summary>The client's own queue for an endpoint's concurrency limit is full: the request was never sent.</summary>
    QueueFull,
}
