using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OpenModelClient.Tests.Reliability;

/// <summary>
/// Everything the library says about calls while it is alive, as text: every log record (message, structured values, exception),
/// every span from any source but the runtime's own HTTP spans (name, tags, events, status) and every metric tag. Used to prove a secret appears in none of them.
/// </summary>
internal sealed class TelemetryCapture : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            // Every source but the .NET runtime's own HTTP spans (System.Net.*), which record the HTTP stack's raw exception
            // messages and are outside the library's reach (docs/reliability.md, Secrets).
            ShouldListenTo = source => !source.Name.StartsWith("System.Net", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _meters.SetMeasurementEventCallback<long>((i, _, tags, _) => RecordTags(i, tags));
        _meters.SetMeasurementEventCallback<double>((i, _, tags, _) => RecordTags(i, tags));
        _meters.SetMeasurementEventCallback<int>((i, _, tags, _) => RecordTags(i, tags));
        _meters.Start();
    }

    /// <summary>Gets every text recorded so far.</summary>
    public IReadOnlyList<string> Texts => [.. _texts];

    /// <summary>Gets the number of log records written.</summary>
    public int LogRecords { get; private set; }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Activity activity)
    {
        if (activity.OperationName.StartsWith("System.Net.Http", StringComparison.Ordinal))
        {
            return; // the runtime's own HTTP span, also when created without a source
        }

        _texts.Enqueue($"span {activity.Source.Name} {activity.DisplayName} {activity.Status} {activity.StatusDescription}");
        foreach (var tag in activity.TagObjects)
        {
            _texts.Enqueue($"span tag {tag.Key}={tag.Value}");
        }

        foreach (var e in activity.Events)
        {
            _texts.Enqueue($"span event {e.Name}");
            foreach (var tag in e.Tags)
            {
                _texts.Enqueue($"span event tag ({activity.Source.Name}) {tag.Key}={tag.Value}");
            }
        }
    }

    private void RecordTags(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            _texts.Enqueue($"metric {instrument.Name} {tag.Key}={tag.Value}");
        }
    }

    private sealed class Logger(TelemetryCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._texts.Enqueue($"scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.LogRecords++;
            owner._texts.Enqueue($"log {category} {logLevel} {formatter(state, exception)} {exception}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    owner._texts.Enqueue($"log value {key}={value}");
                }
            }
        }
    }
}
