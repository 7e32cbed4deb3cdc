using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OpenModelClient;

/// <summary>The outermost handler of a configured client: the whole-call deadline, the first-chunk and idle limits on the body, and typed errors for them.</summary>
/// <remarks>
/// Polly's timeouts only cover the time to response headers. A streamed generation can then run for a long time, so the body
/// is watched read by read: the first read must come within <c>FirstChunk</c>, each later one within <c>Idle</c>, all within <c>Total</c>.
/// A long generation is never cut while chunks keep arriving.
/// </remarks>
internal sealed class OpenModelTimeoutHandler(OpenModelResilienceProfile profile, TimeProvider timeProvider) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<long> DeadlineKey = new("OpenModelClient.Deadline");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long started = timeProvider.GetTimestamp();
        bool finiteTotal = profile.Total != Timeout.InfiniteTimeSpan;
        var total = profile.Total;
        if (finiteTotal)
        {
            if (request.Options.TryGetValue(DeadlineKey, out long deadline))
            {
                // A request that continues a call (a resumed stream reopened at its offset) carries that call's deadline: the budget is what is left of it.
                total = TimeSpan.FromSeconds(Math.Max(0, deadline - started) / (double)timeProvider.TimestampFrequency);
            }
            else
            {
                request.Options.Set(DeadlineKey, started + (long)(profile.Total.TotalSeconds * timeProvider.TimestampFrequency));
            }
        }

        // The budget runs on the same clock as the deadline above and as the pipeline's delays (the TimeProvider from DI, if any).
        using var totalCts = finiteTotal ? new CancellationTokenSource(total, timeProvider) : new CancellationTokenSource();
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), totalCts);

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, totalCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && totalCts.IsCancellationRequested)
        {
            throw new OpenModelException(OpenModelErrorKind.Timeout, profile.Provider, null, $"the call took longer than its total limit of {HumanDuration.Format(profile.Total)} (Timeouts:Total) before the server answered", "total_timeout", innerException: e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new OpenModelException(OpenModelErrorKind.Timeout, profile.Provider, null, $"the server sent no response within {HumanDuration.Format(profile.FirstChunk)} (Timeouts:FirstChunk); a cold model load counts against it", "first_chunk_timeout", innerException: e);
        }
        catch (BrokenCircuitException e) when (ConnectionFailure(e) is { } refused)
        {
            // Failures to connect opened the circuit: the server is down or unreachable, not busy, and the caller hears the same as on the first call.
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{profile.Provider}: the server at {request.RequestUri?.Authority} cannot be reached ({refused.Message}); the circuit breaker is open after repeated connection failures, so calls fail at once until a pause has passed", e);
        }
        catch (BrokenCircuitException e)
        {
            throw new ServerOverloadedException(profile.Provider, HttpStatusCode.ServiceUnavailable, $"the circuit breaker for {request.RequestUri?.Authority} is open after repeated failures; calls resume after a pause", "circuit_open", innerException: e);
        }

        if (response.Content is { } content)
        {
            // A wait for a free slot under the client's own concurrency limit is not the server's delay: only Total counts it.
            var queued = request.Options.TryGetValue(ConcurrencyLimitHandler.QueueWaitKey, out var wait) ? wait : TimeSpan.Zero;
            var firstChunkDeadline = profile.FirstChunk == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : profile.FirstChunk - (timeProvider.GetElapsedTime(started) - queued);
            var remainingTotal = finiteTotal ? total - timeProvider.GetElapsedTime(started) : Timeout.InfiniteTimeSpan;
            response.Content = new WatchdogContent(content, profile, firstChunkDeadline, remainingTotal, timeProvider);
        }

        return response;
    }

    private static HttpRequestException? ConnectionFailure(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } http)
            {
                return http;
            }
        }

        return null;
    }
}
