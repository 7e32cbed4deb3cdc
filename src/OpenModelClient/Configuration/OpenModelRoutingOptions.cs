namespace OpenModelClient;

/// <summary>How a configured client routes requests over the replicas of its endpoint, under the section's <c>Routing</c> key.</summary>
/// <remarks>
/// Replicas are the endpoints Microsoft.Extensions.ServiceDiscovery resolves for <see cref="OpenModelClientOptions.Endpoint"/> when
/// <see cref="OpenModelClientOptions.ServiceDiscovery"/> is on (e.g. <c>Services:llama:http:0</c>, <c>…:1</c>). For a fleet behind a
/// gateway that routes by a session header (vLLM production-stack router, llm-d, LiteLLM), set <see cref="AffinityHeader"/> to the
/// header the gateway documents: each request carries the conversation's prefix hash in it.
/// </remarks>
public sealed class OpenModelRoutingOptions
{
    /// <summary>Gets or sets the strategy (<c>Routing:Strategy</c>: <c>RoundRobin</c> or <c>PrefixAffinity</c>).</summary>
    /// <value>The default is <see cref="OpenModelRoutingStrategy.RoundRobin"/>.</value>
    public OpenModelRoutingStrategy Strategy { get; set; }

    /// <summary>Gets or sets how many times the average in-flight load a preferred replica may carry before a request spills to the
    /// least-busy one (<c>Routing:LoadFactor</c>), as in "consistent hashing with bounded loads".</summary>
    /// <value>The default is 2. At least 1; 1 spreads evenly, larger values keep conversations on their replica longer.</value>
    public double LoadFactor { get; set; } = 2;

    /// <summary>Gets or sets the name of a request header that carries the conversation's affinity key, for a gateway that routes
    /// by it (<c>Routing:AffinityHeader</c>, e.g. <c>x-session-id</c>).</summary>
    /// <value>The default is <see langword="null"/>: no header.</value>
    public string? AffinityHeader { get; set; }

    /// <summary>Gets a value indicating whether requests carry an affinity key (the strategy or the header needs one).</summary>
    internal bool UsesAffinity => Strategy == OpenModelRoutingStrategy.PrefixAffinity || !string.IsNullOrEmpty(AffinityHeader);
}
