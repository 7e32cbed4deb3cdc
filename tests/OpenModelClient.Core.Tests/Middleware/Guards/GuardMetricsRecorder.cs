using System.Diagnostics.Metrics;

namespace OpenModelClient.Tests.Middleware.Guards;

/// <summary>Collects <c>openmodel.guard.actions</c> measurements for one provider name (tests run in parallel: each uses its own).</summary>
internal sealed class GuardMetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Guard, string Action)> _actions = [];

    public GuardMetricsRecorder(string provider)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "OpenModelClient" && instrument.Name == "openmodel.guard.actions")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? guard = null, action = null, name = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "openmodel.guard": guard = tag.Value as string; break;
                    case "openmodel.guard.action": action = tag.Value as string; break;
                    case "gen_ai.provider.name": name = tag.Value as string; break;
                }
            }

            if (name == provider)
            {
                lock (_actions)
                {
                    _actions.Add((guard!, action!));
                }
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<(string Guard, string Action)> Actions
    {
        get
        {
            lock (_actions)
            {
                return [.. _actions];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
