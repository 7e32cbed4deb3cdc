namespace OpenModelClient;

/// <summary>Retry settings under the section's <c>Retry</c> key. Retries happen only before any output has arrived.</summary>
public sealed class OpenModelRetryOptions
{
    /// <summary>Gets or sets the number of attempts in all, the first included; 1 turns retries off.</summary>
    /// <value>The default is 3.</value>
    public int? MaxAttempts { get; set; }

    /// <summary>Gets or sets the longest <c>Retry-After</c> the client will wait; a longer one ends the call at once with <see cref="RateLimitedException"/> carrying the server's value.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan? MaxRetryAfter { get; set; }

    /// <summary>Gets or sets the first backoff delay; later ones grow exponentially, with jitter.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan? BaseDelay { get; set; }
}
