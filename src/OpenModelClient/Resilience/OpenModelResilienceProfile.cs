namespace OpenModelClient;

/// <summary>The effective time limits, retry and circuit-breaker settings of one configured client: its values, or its provider kind's defaults (local: 10 min to the first chunk, 2 min idle, no total; hosted: 2 min, 1 min, 30 min).</summary>
internal sealed record OpenModelResilienceProfile(
    string Provider,
    TimeSpan Connect,
    TimeSpan FirstChunk,
    TimeSpan Idle,
    TimeSpan Total,
    int MaxAttempts,
    TimeSpan MaxRetryAfter,
    TimeSpan BaseDelay,
    bool CircuitBreakerEnabled,
    double FailureRatio,
    int MinimumThroughput,
    TimeSpan SamplingDuration,
    TimeSpan BreakDuration)
{
    public static OpenModelResilienceProfile For(OpenModelClientOptions options)
    {
        var descriptor = OpenModelProviders.For(options.Provider ?? default);
        bool hosted = descriptor.Hosted;
        var t = options.Timeouts;
        return new OpenModelResilienceProfile(
            descriptor.TelemetryName(options),
            t.Connect ?? TimeSpan.FromSeconds(10),
            t.FirstChunk ?? (hosted ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(10)),
            t.Idle ?? (hosted ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(2)),
            t.Total ?? (hosted ? TimeSpan.FromMinutes(30) : Timeout.InfiniteTimeSpan),
            options.Retry.MaxAttempts ?? 3,
            options.Retry.MaxRetryAfter ?? TimeSpan.FromSeconds(30),
            options.Retry.BaseDelay ?? TimeSpan.FromSeconds(1),
            options.CircuitBreaker.Enabled,
            options.CircuitBreaker.FailureRatio ?? 0.5,
            // Above the attempts one call makes, so that a single call's own retries can never open the circuit and hide the
            // server's error behind circuit_open.
            options.CircuitBreaker.MinimumThroughput ?? Math.Max(6, (options.Retry.MaxAttempts ?? 3) + 1),
            options.CircuitBreaker.SamplingDuration ?? TimeSpan.FromSeconds(30),
            options.CircuitBreaker.BreakDuration ?? TimeSpan.FromSeconds(15));
    }
}
