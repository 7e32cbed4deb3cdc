using Microsoft.Extensions.Time.Testing;

namespace OpenModelClient.Tests.Resilience;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that shows the timers armed on it. A fake timer counts from the fake time it was armed at,
/// so advancing the clock before the code under test has armed its timer is lost and the test waits forever. With this clock
/// a test first waits, in real time and with a bound, until the timer it means to fire is armed, then advances.
/// </summary>
internal sealed class ObservedClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ArmedTimer> _timers = [];
    private TaskCompletionSource _changed = NewSignal();

    public ObservedClock()
        : base(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))
    {
        Started = GetUtcNow();
    }

    /// <summary>Gets the fake time the clock started at.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Gets how far the clock has been advanced since it started.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Started;

    /// <summary>Gets every timer ever armed on this clock, in order.</summary>
    public IReadOnlyList<ArmedTimer> ArmedTimers
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers];
            }
        }
    }

    /// <summary>Gets the timers armed now: not fired, not disposed, with a finite due time.</summary>
    public IReadOnlyList<ArmedTimer> ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers.Where(t => t.IsActive)];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new ArmedTimer(this, dueTime, GetUtcNow());
        lock (_gate)
        {
            _timers.Add(armed);
        }

        armed.Inner = base.CreateTimer(
            s =>
            {
                armed.OnFired();
                callback(s);
            },
            state,
            dueTime,
            period);
        Pulse();
        return armed;
    }

    /// <summary>Waits, in real time, until a timer armed for exactly <paramref name="dueTime"/> is active; fails with the active timers after <paramref name="timeout"/>.</summary>
    public Task<ArmedTimer> WaitForTimerAsync(TimeSpan dueTime, TimeSpan timeout) =>
        WaitForTimerAsync(t => t.DueTime == dueTime, $"a timer due in {dueTime}", timeout);

    /// <summary>Waits, in real time, until an active timer matches; fails with the active timers after <paramref name="timeout"/>.</summary>
    public async Task<ArmedTimer> WaitForTimerAsync(Func<ArmedTimer, bool> match, string what, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_timers.FirstOrDefault(t => t.IsActive && match(t)) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(expiry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {timeout} (real time) for {what} to be armed; active: [{string.Join(", ", ActiveTimers)}], clock at +{Elapsed}.");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            (changed, _changed) = (_changed, NewSignal());
        }

        changed.TrySetResult();
    }

    /// <summary>One timer armed on the clock, as the code under test last set it.</summary>
    internal sealed class ArmedTimer(ObservedClock clock, TimeSpan dueTime, DateTimeOffset armedAt) : ITimer
    {
        private int _fired;
        private int _disposed;

        public ITimer Inner { get; set; } = null!;

        public TimeSpan DueTime { get; private set; } = dueTime;

        public DateTimeOffset ArmedAt { get; private set; } = armedAt;

        public bool IsActive => Volatile.Read(ref _fired) == 0 && Volatile.Read(ref _disposed) == 0 && DueTime != Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            (DueTime, ArmedAt) = (dueTime, clock.GetUtcNow());
            Volatile.Write(ref _fired, 0);
            bool changed = Inner.Change(dueTime, period);
            clock.Pulse();
            return changed;
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, 1);
            Inner.Dispose();
            clock.Pulse();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        public override string ToString() => $"{DueTime} armed at +{ArmedAt - clock.Started}";

        internal void OnFired()
        {
            Volatile.Write(ref _fired, 1);
            clock.Pulse();
        }
    }
}
