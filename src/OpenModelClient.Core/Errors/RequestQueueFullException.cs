namespace OpenModelClient;

/// <summary>The client's concurrency limit for an endpoint is reached and its waiting queue is full, so the request was not sent.</summary>
/// <remarks>Nothing reached the server. Retrying after some of the running requests finish may succeed.</remarks>
public sealed class RequestQueueFullException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="RequestQueueFullException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="endpoint">The endpoint whose queue is full (scheme, host and port only), if known.</param>
    /// <param name="permitLimit">How many requests the client lets run at once against the endpoint.</param>
    /// <param name="queueLimit">How many requests may wait for a free slot.</param>
    public RequestQueueFullException(string provider, string? endpoint, int permitLimit, int queueLimit)
        : base(OpenModelErrorKind.QueueFull, provider, null,
            $"{permitLimit} request(s) are running against {endpoint ?? "the endpoint"} and {queueLimit} are already waiting (Concurrency:MaxConcurrentRequests, Concurrency:QueueLimit); raise Concurrency:QueueLimit or retry later",
            "queue_full")
    {
        Endpoint = endpoint;
        PermitLimit = permitLimit;
        QueueLimit = queueLimit;
    }

    /// <summary>Gets the endpoint whose queue is full (scheme, host and port only), if known.</summary>
    public string? Endpoint { get; }

    /// <summary>Gets how many requests the client lets run at once against the endpoint.</summary>
    public int PermitLimit { get; }

    /// <summary>Gets how many requests may wait for a free slot.</summary>
    public int QueueLimit { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
