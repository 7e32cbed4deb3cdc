namespace OpenModelClient;

/// <summary>Circuit-breaker settings under the section's <c>CircuitBreaker</c> key: when enough of an endpoint's recent calls fail, calls to it
/// fail at once for a while instead of waiting on a server that is down (capability probes never count).</summary>
public sealed class OpenModelCircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the breaker is on.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts, within <see cref="SamplingDuration"/>, that opens the circuit.</summary>
    /// <value>The default is 0.5; from greater than 0 to 1.</value>
    public double? FailureRatio { get; set; }

    /// <summary>Gets or sets how many attempts must be seen within <see cref="SamplingDuration"/> before the ratio counts.</summary>
    /// <value>The default is 6, or one more than <c>Retry:MaxAttempts</c> when that is larger, so one call's own retries never open it; from 2 to 1000.</value>
    public int? MinimumThroughput { get; set; }

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default is 30 seconds; from 0.5 seconds to one day.</value>
    public TimeSpan? SamplingDuration { get; set; }

    /// <summary>Gets or sets how long the circuit stays open before one trial call is let through.</summary>
    /// <value>The default is 15 seconds; from 0.5 seconds to one day.</value>
    public TimeSpan? BreakDuration { get; set; }
}
