namespace OpenModelClient;

/// <summary>How requests are spread over the replicas of one logical endpoint (<c>Routing:Strategy</c>).</summary>
public enum OpenModelRoutingStrategy
{
    /// <summary>Each request goes to the next replica in turn (Microsoft.Extensions.ServiceDiscovery's own choice).</summary>
    RoundRobin,

    /// <summary>Each conversation goes to the replica chosen by a hash of its prefix (its system and first user message), so the
    /// replica's prompt cache is reused; a request spills to the least-busy replica when the preferred one has more than
    /// <see cref="OpenModelRoutingOptions.LoadFactor"/> times the average load in flight, or cannot be reached.</summary>
    PrefixAffinity,
}
