namespace OpenModelClient;

/// <summary>The effective time limits and retry settings of one configured client: its values, or its provider kind's defaults (local: 10 min to the first chunk, 2 min idle, no total; hosted: 2 min, 1 min, 30 min).</summary>
internal sealed record OpenModelResilienceProfile(
    string Provider,
    TimeSpan Connect,
    TimeSpan FirstChunk,
    TimeSpan Idle,
    TimeSpan Total,
    int MaxAttempts,
    TimeSpan MaxRetryAfter,
    TimeSpan BaseDelay)
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
            options.Retry.BaseDelay ?? TimeSpan.FromSeconds(1));
    }
}
