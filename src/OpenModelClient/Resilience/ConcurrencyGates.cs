using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Builds the <see cref="ConcurrencyGate"/> of a configured client from its options.</summary>
internal static class ConcurrencyGates
{
    public static ConcurrencyGate Create(OpenModelClientOptions options, ILoggerFactory? loggerFactory)
    {
        var descriptor = OpenModelProviders.For(options.Provider ?? default);
        var endpoint = options.Endpoint is { IsAbsoluteUri: true } uri ? uri : null;
        return new ConcurrencyGate(
            options.Concurrency,
            descriptor.TelemetryName(options),
            endpoint,
            canReadSlots: descriptor.ReadsServerSlots,
            loggerFactory?.CreateLogger<ConcurrencyGate>());
    }
}
