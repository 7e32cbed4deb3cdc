using Microsoft.Extensions.Logging;
using Polly.Retry;
using Polly.Telemetry;

namespace OpenModelClient;

/// <summary>One Information line per retry, without a stack trace, in place of the resilience library's own events.</summary>
/// <remarks>
/// Polly logs each retry and each failed attempt at Warning with the whole exception; a server that refuses connections fills
/// an application's log with stack traces for an event the client handles. Those two events are lowered to Debug for this
/// pipeline only (the application's other pipelines keep their settings), and this line says what happened instead.
/// </remarks>
internal static partial class RetryLog
{
    public const string Category = "OpenModelClient.Resilience";

    private static readonly HashSet<string> HandledEvents = new(StringComparer.Ordinal) { "OnRetry", "ExecutionAttempt" };

    /// <summary>The application's telemetry options for resilience pipelines (enrichers, listeners, logger factory), with retries and
    /// failed attempts at Debug.</summary>
    public static TelemetryOptions Quiet(TelemetryOptions? application, ILoggerFactory? loggerFactory)
    {
        var options = application is null ? new TelemetryOptions() : new TelemetryOptions(application);
        if (application is null && loggerFactory is not null)
        {
            options.LoggerFactory = loggerFactory;
        }

        var inner = options.SeverityProvider;
        options.SeverityProvider = args => HandledEvents.Contains(args.Event.EventName) ? ResilienceEventSeverity.Debug : inner?.Invoke(args) ?? args.Event.Severity;
        return options;
    }

    public static void Write(ILogger logger, string provider, OnRetryArguments<HttpResponseMessage> args, Uri? uri, int maxAttempts)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The reason is the status or the exception's type and message: never a body, a header or the exception's stack.
        string reason = args.Outcome.Result is { } response
            ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"
            : args.Outcome.Exception is { } e ? $"{e.GetType().Name}: {e.Message}" : "no response";
        string server = uri?.GetLeftPart(UriPartial.Authority) ?? "the server";
        int attempt = args.AttemptNumber + 2;
        double delaySeconds = args.RetryDelay.TotalSeconds;
        LogRetry(logger, provider, server, attempt, maxAttempts, delaySeconds, reason);
    }

    [LoggerMessage(EventId = 1, EventName = "Retry", Level = LogLevel.Information, Message = "Retrying the {Provider} request to {Server} (attempt {Attempt} of {MaxAttempts}) in {DelaySeconds:0.##} s after {Reason}")]
    private static partial void LogRetry(ILogger logger, string provider, string server, int attempt, int maxAttempts, double delaySeconds, string reason);
}
