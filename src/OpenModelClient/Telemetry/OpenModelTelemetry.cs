namespace OpenModelClient;

/// <summary>The names under which OpenModelClient emits OpenTelemetry data: add them to your tracer and meter providers.</summary>
/// <example><code>
/// builder.Services.AddOpenTelemetry()
///     .WithTracing(t => t.AddSource(OpenModelTelemetry.SourceName))
///     .WithMetrics(m => m.AddMeter(OpenModelTelemetry.SourceName));
/// </code></example>
public static class OpenModelTelemetry
{
    /// <summary>The activity source and meter name: <c>OpenModelClient</c>.</summary>
    public const string SourceName = "OpenModelClient";
}
