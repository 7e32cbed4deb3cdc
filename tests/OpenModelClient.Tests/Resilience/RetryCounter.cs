using System.Diagnostics.Metrics;

namespace OpenModelClient.Tests.Resilience;

/// <summary>Counts the pipeline's retries (<c>openmodel.client.retries</c>) to one port, so tests running side by side do not mix their counts.</summary>
internal sealed class RetryCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public RetryCounter(int port)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OpenModelTelemetry.SourceName && instrument.Name == "openmodel.client.retries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var (key, tag) in tags)
            {
                if (key == "server.port" && tag is int p && p == port)
                {
                    Interlocked.Add(ref _count, value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
