using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Builds the <see cref="ConcurrencyGate"/> of a configured client from its options.</summary>
internal static class ConcurrencyGates
{
    public static ConcurrencyGate Create(OpenModelClientOptions options, ILoggerFactory? loggerFactory)
    {
        bool llamaCpp = options.Provider == OpenModelProvider.LlamaCpp;
        var endpoint = options.Endpoint is { IsAbsoluteUri: true } uri ? uri : null;
        return new ConcurrencyGate(
            options.Concurrency,
            OpenModelResilienceProfile.For(options).Provider,
            endpoint,
            canReadSlots: llamaCpp,
            loggerFactory?.CreateLogger<ConcurrencyGate>());
    }
}
