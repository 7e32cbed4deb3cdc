using System.Collections.Concurrent;

namespace OpenModelClient;

/// <summary>Chooses a replica for a request: the key's preferred replica by rendezvous hashing, unless it carries more than
/// <c>LoadFactor</c> times the average in-flight load or is marked unreachable, then the least-busy reachable one ("consistent
/// hashing with bounded loads"). Shared by every handler chain of one configured client.</summary>
internal sealed class ReplicaBalancer(double loadFactor, TimeProvider timeProvider)
{
    /// <summary>How long a replica that refused a connection is passed over before it is tried again.</summary>
    internal static readonly TimeSpan DownFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Replica> _replicas = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets how many requests have gone to their key's preferred replica, and how many spilled to another.</summary>
    public long Preferred => Interlocked.Read(ref _preferred);

    public long Spilled => Interlocked.Read(ref _spilled);

    private long _preferred;
    private long _spilled;

    /// <summary>Chooses among <paramref name="candidates"/> (replica names, e.g. <c>host:port</c>) for <paramref name="key"/> (none: the least busy).</summary>
    public string Choose(string? key, IReadOnlyList<string> candidates)
    {
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        long now = timeProvider.GetTimestamp();
        int totalInFlight = 1; // this request
        Replica? preferred = null, leastBusy = null;
        ulong best = 0;
        foreach (string name in candidates)
        {
            var replica = _replicas.GetOrAdd(name, static n => new Replica(n));
            totalInFlight += replica.InFlight;
            bool up = replica.DownUntil <= now;
            if (up && (leastBusy is null || replica.InFlight < leastBusy.InFlight))
            {
                leastBusy = replica;
            }

            if (key is not null && up)
            {
                ulong score = AffinityKey.Score(key, name);
                if (preferred is null || score > best)
                {
                    preferred = replica;
                    best = score;
                }
            }
        }

        if (leastBusy is null)
        {
            // Every replica is marked down: try the key's first choice anyway rather than fail without asking.
            return key is null ? candidates[0] : candidates.MaxBy(c => AffinityKey.Score(key, c))!;
        }

        if (preferred is null)
        {
            return leastBusy.Name;
        }

        double capacity = Math.Ceiling(loadFactor * totalInFlight / candidates.Count);
        if (preferred.InFlight + 1 <= capacity || preferred.InFlight <= leastBusy.InFlight)
        {
            Interlocked.Increment(ref _preferred);
            return preferred.Name;
        }

        Interlocked.Increment(ref _spilled);
        return leastBusy.Name;
    }

    /// <summary>Counts a request in flight on <paramref name="name"/> until the returned handle is disposed.</summary>
    public IDisposable Enter(string name)
    {
        var replica = _replicas.GetOrAdd(name, static n => new Replica(n));
        Interlocked.Increment(ref replica.InFlightCount);
        return replica.NewLease();
    }

    /// <summary>Passes <paramref name="name"/> over for a while: it refused or dropped the connection.</summary>
    public void MarkDown(string name) =>
        _replicas.GetOrAdd(name, static n => new Replica(n)).DownUntil = timeProvider.GetTimestamp() + (long)(DownFor.TotalSeconds * timeProvider.TimestampFrequency);

    /// <summary>Gets how many requests are in flight on <paramref name="name"/>.</summary>
    public int InFlight(string name) => _replicas.TryGetValue(name, out var replica) ? replica.InFlight : 0;

    private sealed class Replica(string name)
    {
        internal int InFlightCount;

        public string Name { get; } = name;

        public int InFlight => Volatile.Read(ref InFlightCount);

        public long DownUntil { get; set; } = long.MinValue;

        public IDisposable NewLease() => new Lease(this);

        private sealed class Lease(Replica replica) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref replica.InFlightCount);
                }
            }
        }
    }
}
