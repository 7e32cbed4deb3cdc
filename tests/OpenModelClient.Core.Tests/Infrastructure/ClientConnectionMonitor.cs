using System.Diagnostics.Metrics;

namespace OpenModelClient.Tests.Infrastructure;

/// <summary>
/// The client's side of the connections to one port, read from System.Net.Http's <c>http.client.open_connections</c> metric:
/// how many are in use (a response is being read, or was never disposed) and how many sit idle in the pool. A connection
/// counts as released once it is idle or closed; a leaked response keeps it in use. Only connections to this port count,
/// so tests running side by side do not disturb each other.
/// </summary>
public sealed class ClientConnectionMonitor : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly int _port;
    private readonly Action _changed;
    private long _active;
    private long _idle;
    private long _everActive;

    public ClientConnectionMonitor(int port, Action changed)
    {
        _port = port;
        _changed = changed;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.open_connections")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Gets the client connections to this port currently in use.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Gets the client connections to this port idle in the pool.</summary>
    public long Idle => Interlocked.Read(ref _idle);

    /// <summary>Gets how many times a connection to this port went into use: 0 means the metric was never seen, and nothing can be concluded.</summary>
    public long EverActive => Interlocked.Read(ref _everActive);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        int? port = null;
        string? connectionState = null;
        foreach (var (key, tag) in tags)
        {
            if (key == "server.port" && tag is not null)
            {
                port = Convert.ToInt32(tag, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (key == "http.connection.state")
            {
                connectionState = tag as string;
            }
        }

        if (port != _port)
        {
            return;
        }

        if (connectionState == "active")
        {
            Interlocked.Add(ref _active, value);
            if (value > 0)
            {
                Interlocked.Increment(ref _everActive);
            }
        }
        else if (connectionState == "idle")
        {
            Interlocked.Add(ref _idle, value);
        }

        _changed();
    }
}
