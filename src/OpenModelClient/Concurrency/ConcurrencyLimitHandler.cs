using System.Threading.RateLimiting;

namespace OpenModelClient;

/// <summary>Lets at most the endpoint's limit of requests run at once; the others wait in order (first in, first out), and a
/// response holds its slot until its body is read to the end or disposed.</summary>
/// <remarks>
/// Sits inside the whole-call deadline (so a wait counts against <c>Timeouts:Total</c>, and the caller's cancellation ends it) and
/// outside the retry pipeline (so a call's retries reuse its slot instead of queueing again).
/// </remarks>
internal sealed class ConcurrencyLimitHandler(ConcurrencyGate gate, TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>How long the request waited for a slot, so that the first-chunk clock can leave the wait out.</summary>
    internal static readonly HttpRequestOptionsKey<TimeSpan> QueueWaitKey = new("OpenModelClient.QueueWait");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var limiter = await gate.GetLimiterAsync(base.SendAsync, cancellationToken).ConfigureAwait(false);
        if (limiter is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            if (ConcurrencyMetrics.QueueDuration.Enabled)
            {
                ConcurrencyMetrics.QueueDuration.Record(0, ConcurrencyMetrics.Tags(gate.Provider, gate.Endpoint));
            }
        }
        else
        {
            lease.Dispose();
            lease = await WaitAsync(limiter, request, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Content is null)
            {
                lease.Dispose();
                return response;
            }

            response.Content = new ReleasingContent(response.Content, lease);
            return response;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private async Task<RateLimitLease> WaitAsync(ConcurrencyLimiter limiter, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool measured = ConcurrencyMetrics.QueueLength.Enabled || ConcurrencyMetrics.QueueDuration.Enabled;
        var tags = measured ? ConcurrencyMetrics.Tags(gate.Provider, gate.Endpoint) : default;
        long started = timeProvider.GetTimestamp();
        if (measured)
        {
            ConcurrencyMetrics.QueueLength.Add(1, tags);
        }

        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            var waited = timeProvider.GetElapsedTime(started);
            request.Options.Set(QueueWaitKey, waited);
            if (measured)
            {
                ConcurrencyMetrics.QueueLength.Add(-1, tags);
                ConcurrencyMetrics.QueueDuration.Record(waited.TotalSeconds, tags);
            }
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new RequestQueueFullException(gate.Provider, gate.Endpoint?.GetLeftPart(UriPartial.Authority), gate.PermitLimit ?? 0, gate.QueueLimit);
        }

        return lease;
    }
}
