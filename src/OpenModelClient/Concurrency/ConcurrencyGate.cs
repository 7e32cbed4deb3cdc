using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>The one concurrency limiter of a configured client, shared by every handler chain the HTTP client factory builds for it
/// (chains are rebuilt every few minutes; the slots and the queue must outlive them).</summary>
internal sealed partial class ConcurrencyGate : IDisposable
{
    private readonly OpenModelConcurrencyOptions _options;
    private readonly Uri? _propsUri;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _init = new(1, 1);
    private volatile bool _initialized;
    private ConcurrencyLimiter? _limiter;

    public ConcurrencyGate(OpenModelConcurrencyOptions options, string provider, Uri? endpoint, bool canReadSlots, ILogger? logger)
    {
        _options = options;
        Provider = provider;
        Endpoint = endpoint;
        _logger = logger ?? NullLogger.Instance;
        if (options.FromServer && canReadSlots && endpoint is not null)
        {
            _propsUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/props");
        }
        else
        {
            _limiter = Create(options.MaxConcurrentRequests);
            _initialized = true;
        }
    }

    public string Provider { get; }

    public Uri? Endpoint { get; }

    public int QueueLimit => _options.QueueLimit;

    /// <summary>Gets the limit in force, once known; <see langword="null"/> for none.</summary>
    public int? PermitLimit { get; private set; }

    /// <summary>The limiter, after reading the server's slot count once if so configured; <see langword="null"/> when there is no limit.</summary>
    public async ValueTask<ConcurrencyLimiter?> GetLimiterAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return _limiter;
        }

        await _init.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                int? slots = await ReadSlotsAsync(send, cancellationToken).ConfigureAwait(false);
                int? limit = (slots, _options.MaxConcurrentRequests) switch
                {
                    ({ } s, { } max) => Math.Min(s, max),
                    ({ } s, null) => s,
                    (null, var max) => max,
                };
                _limiter = Create(limit);
                _initialized = true;
            }

            return _limiter;
        }
        finally
        {
            _init.Release();
        }
    }

    public void Dispose()
    {
        _limiter?.Dispose();
        _init.Dispose();
    }

    private ConcurrencyLimiter? Create(int? limit)
    {
        PermitLimit = limit;
        return limit is { } permits
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = _options.QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })
            : null;
    }

    private async Task<int?> ReadSlotsAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _propsUri);
            using var response = await send(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (document.RootElement.ValueKind == JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("total_slots", out var slots) &&
                        slots.TryGetInt32(out int count) && count is > 0 and <= OpenModelConcurrencyOptions.MaxPermits)
                    {
                        LogSlotsRead(_logger, count, Endpoint?.Authority);
                        return count;
                    }
                }
            }

            LogSlotsUnknown(_logger, Endpoint?.Authority, $"HTTP {(int)response.StatusCode} without a usable total_slots", FallbackText());
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogSlotsUnknown(_logger, Endpoint?.Authority, e.GetType().Name, FallbackText());
        }

        return null;
    }

    private string FallbackText() => _options.MaxConcurrentRequests is { } max ? $"Concurrency:MaxConcurrentRequests ({max})" : "no limit";

    [LoggerMessage(Level = LogLevel.Information, Message = "Concurrency limit for {Endpoint}: {Slots} request(s) at once, the server's total_slots")]
    private static partial void LogSlotsRead(ILogger logger, int slots, string? endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the slot count of {Endpoint} ({Reason}); using {Fallback}")]
    private static partial void LogSlotsUnknown(ILogger logger, string? endpoint, string reason, string fallback);
}
