namespace OpenModelClient;

/// <summary>Marks the requests a client sends to learn about the server (a capability probe), as opposed to the caller's own calls.</summary>
/// <remarks>
/// A probe that fails only means "unknown" to the client; the resilience pipeline neither retries it like a generation nor lets it count
/// towards the circuit breaker, so a probe of a stopped server cannot open the circuit before the caller's call has even been tried.
/// </remarks>
internal static class ProbeRequest
{
    /// <summary>The request option set on a probe's request.</summary>
    internal static readonly HttpRequestOptionsKey<bool> Key = new("OpenModelClient.Probe");

    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>Gets a value indicating whether the current call is inside <see cref="RunAsync{T}"/>.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>Runs a probe; every request it sends is marked with <see cref="Key"/>.</summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> probe, CancellationToken cancellationToken)
    {
        // Set inside this async method, the flag flows to what the probe awaits and is gone for the caller once it returns.
        Active.Value = true;
        return await probe(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a request was sent by a probe.</summary>
    public static bool IsProbe(HttpRequestMessage? request) => request is not null && request.Options.TryGetValue(Key, out bool probe) && probe;
}
