using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Polly.Timeout;

namespace OpenModelClient;

/// <summary>Builds the named <see cref="HttpClient"/> of one configured client: connect timeout, whole-call and body deadlines, and one resilience pipeline.</summary>
/// <remarks>
/// Handler order, outermost first: <see cref="OpenModelTimeoutHandler"/> (total budget, body watchdog, typed errors) → the
/// concurrency limit when one is configured (<see cref="ConcurrencyLimitHandler"/>) → retry
/// (jittered exponential backoff on 408/429/502/503/504 and connection failures, <c>Retry-After</c> honoured up to its cap) → circuit
/// breaker (one per endpoint authority) → attempt timeout (<c>FirstChunk</c>, to the response headers) → the factory's logging → <see cref="CredentialScrubbingHandler"/> around the
/// primary handler. Retries can only happen
/// before the response headers, hence before any output; the chat clients add no retry layer of their own.
/// </remarks>
internal static class OpenModelHttpClientRegistration
{
    public const string PipelineName = "openmodel";

    public static IHttpClientBuilder Add(IServiceCollection services, string httpClientName, string optionsName, bool limitConcurrency = false)
    {
        var builder = services.AddHttpClient(httpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The primary handler is wrapped by the scrubbing one, so that even the HTTP client factory's own request logging
            // (which sits right above the primary handler) never sees a credential the server echoed in a status or header line.
            .ConfigurePrimaryHttpMessageHandler(sp => new CredentialScrubbingHandler(new SocketsHttpHandler
            {
                ConnectTimeout = Profile(sp, optionsName).Connect,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,

                // An abandoned response (a cancelled stream) closes its connection at once instead of being read on to reuse the
                // connection: the server sees the disconnect and stops generating (llama-server frees the slot).
                MaxResponseDrainSize = 0,

                // An LLM API has no business redirecting; following one could carry the key to another host.
                AllowAutoRedirect = false,
            }))
            .AddHttpMessageHandler(sp => new OpenModelTimeoutHandler(Profile(sp, optionsName), sp.GetService<TimeProvider>() ?? TimeProvider.System));

        if (limitConcurrency)
        {
            // Inside the total deadline (the wait counts against it), outside the retries (which keep the call's slot).
            builder.AddHttpMessageHandler(sp => new ConcurrencyLimitHandler(sp.GetRequiredKeyedService<ConcurrencyGate>(optionsName), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        }

        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
            {
                var loggerFactory = context.ServiceProvider.GetService<ILoggerFactory>();
                pipeline.ConfigureTelemetry(RetryLog.Quiet(context.ServiceProvider.GetService<IOptions<TelemetryOptions>>()?.Value, loggerFactory));
                Configure(pipeline, Profile(context.ServiceProvider, optionsName), context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System, loggerFactory?.CreateLogger(RetryLog.Category));
            })
            .SelectPipelineByAuthority();
        return builder;
    }

    internal static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, OpenModelResilienceProfile profile, TimeProvider timeProvider, ILogger? logger = null)
    {
        if (profile.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = profile.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = profile.BaseDelay,

                // Retry-After is honoured by the generator below, not Http.Resilience's own (which reads the system clock), so the
                // delay waited for is the one ShouldRetry checked against the cap and the budget; without one, jittered backoff.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, timeProvider) : null),
                ShouldHandle = args => ValueTask.FromResult(!ProbeRequest.IsProbe(args.Context.GetRequestMessage()) && ShouldRetry(args.Outcome, profile, timeProvider)),
                OnRetry = args =>
                {
                    // After a connection failure there is no response; the request still names the server.
                    var uri = (args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage())?.RequestUri;
                    OpenModelMetrics.RecordRetry(profile.Provider, uri);
                    if (logger is not null)
                    {
                        RetryLog.Write(logger, profile.Provider, args, uri, profile.MaxAttempts);
                    }

                    return default;
                },
            });
        }

        if (profile.CircuitBreakerEnabled)
        {
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = profile.FailureRatio,
                MinimumThroughput = profile.MinimumThroughput,
                SamplingDuration = profile.SamplingDuration,
                BreakDuration = profile.BreakDuration,

                // A capability probe's failure means "unknown" to the client; it must not open the circuit for the caller's calls.
                ShouldHandle = args => ValueTask.FromResult(!ProbeRequest.IsProbe(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            });
        }

        if (profile.FirstChunk != Timeout.InfiniteTimeSpan)
        {
            pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = profile.FirstChunk });
        }
    }

    /// <summary>Transient failures are retried, but not a <c>Retry-After</c> longer than the cap or than what is left of the total budget.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, OpenModelResilienceProfile profile, TimeProvider timeProvider)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException { StatusCode: null } or TimeoutRejectedException && outcome.Exception is not OpenModelException;
        }

        var response = outcome.Result!;
        int status = (int)response.StatusCode;
        // Not a 500: llama.cpp answers one after a whole generation whose output does not parse, and sending it again costs
        // another full generation for the same result. 503 covers a model still loading and a busy server.
        if (status is not (408 or 429 or 502 or 503 or 504))
        {
            return false;
        }

        if (RetryAfter(response, timeProvider) is { } retryAfter)
        {
            if (retryAfter > profile.MaxRetryAfter)
            {
                return false;
            }

            if (response.RequestMessage?.Options.TryGetValue(OpenModelTimeoutHandler.DeadlineKey, out long deadline) == true &&
                timeProvider.GetTimestamp() + (long)(retryAfter.TotalSeconds * timeProvider.TimestampFrequency) > deadline)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The server's <c>Retry-After</c>: a delay, or a date relative to the server's own <c>Date</c> (else the injected clock); never negative.</summary>
    /// <remarks>Seconds beyond what the typed header parser keeps are a very long wait, not no value: they are read from the raw header, so they end the call like any wait beyond the cap.</remarks>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date - (response.Headers.Date ?? timeProvider.GetUtcNow()) is var delay => delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
        _ => ProviderErrorMapper.RawRetryAfterSeconds(response.Headers),
    };

    private static OpenModelResilienceProfile Profile(IServiceProvider services, string optionsName) =>
        OpenModelResilienceProfile.For(services.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get(optionsName));
}
