namespace OpenModelClient;

/// <summary>The client-side concurrency limit of one configured endpoint, under the section's <c>Concurrency</c> key.</summary>
/// <remarks>
/// With a limit, at most that many requests run against the endpoint at once; further callers wait in a first-in, first-out
/// queue, and the wait counts against <c>Timeouts:Total</c>. A streamed response holds its slot until it ends or is disposed.
/// When the queue is full a call fails at once with <see cref="RequestQueueFullException"/>, without reaching the server.
/// Waiting calls are counted on the <c>openmodel.client.request.queue.length</c> metric and their wait on
/// <c>openmodel.client.request.queue.duration</c>.
/// </remarks>
public sealed class OpenModelConcurrencyOptions
{
    /// <summary>Gets or sets how many requests may run against the endpoint at once (<c>Concurrency:MaxConcurrentRequests</c>).</summary>
    /// <value>The default is <see langword="null"/>: no limit, unless <see cref="FromServer"/> reads one. With <see cref="FromServer"/>,
    /// the limit when the server cannot be asked, and a cap on what it reports.</value>
    public int? MaxConcurrentRequests { get; set; }

    /// <summary>Gets or sets how many requests may wait for a free slot before calls fail with <see cref="RequestQueueFullException"/> (<c>Concurrency:QueueLimit</c>).</summary>
    /// <value>The default is 1000. 0 fails every call that finds no free slot.</value>
    public int QueueLimit { get; set; } = DefaultQueueLimit;

    /// <summary>Gets or sets a value indicating whether the limit is read from the server before the first request: llama.cpp's
    /// <c>/props</c> <c>total_slots</c>, the number of requests it runs in parallel (<c>Concurrency:FromServer</c>, LlamaCpp only).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool FromServer { get; set; }

    internal const int DefaultQueueLimit = 1000;

    internal const int MaxPermits = 100_000;

    internal const int MaxQueueLimit = 1_000_000;

    /// <summary>Gets a value indicating whether a limit applies (configured, or to be read from the server).</summary>
    internal bool IsEnabled => MaxConcurrentRequests is not null || FromServer;
}
