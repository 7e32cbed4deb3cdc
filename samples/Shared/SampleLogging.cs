// Shared by the console samples: which log lines reach stderr. The samples report a failed request themselves, in one line.
using Microsoft.Extensions.Logging;
using OpenModelClient;

/// <summary>The console samples' log filter: the library's warnings, without the lines that repeat a failure the sample reports.</summary>
internal static class SampleLogging
{
    /// <summary>
    /// Returns whether a line is written: warnings and above (e.g. tools dropped for a server without tool support), except the
    /// telemetry logger's per-call warning and Polly's resilience events (an opened circuit is logged as an error), which repeat
    /// a failed call with its stack trace.
    /// </summary>
    public static bool Filter(string? category, LogLevel level) => level >= category switch
    {
        OpenModelTelemetry.SourceName => LogLevel.Error,
        "Polly" => LogLevel.Critical,
        _ => LogLevel.Warning,
    };
}
