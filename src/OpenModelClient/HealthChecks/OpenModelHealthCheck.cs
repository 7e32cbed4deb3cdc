using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenModelClient;

/// <summary>Reports whether a configured chat client's server is up and its model ready, for ASP.NET Core health endpoints.</summary>
/// <remarks>
/// <para>llama.cpp: <c>/health</c> answers 200 (Healthy) once the model is loaded and 503 "Loading model" (Degraded) before. A server
/// started with <c>--sleep-idle-seconds</c> that unloaded its model after idleness still answers 200: the check stays Healthy (the next
/// request reloads the model) and says so with <c>sleeping = true</c> in its data, read from the model listing (<c>/models</c>, and
/// <c>/props</c> outside router mode); a server whose listing cannot be read reports no <c>sleeping</c> entry.
/// Ollama: <c>GET /</c> says whether the server runs, and <c>/api/tags</c> whether the configured model is pulled (Degraded when it
/// is not: the first request would pull or fail). A server that cannot be reached, or answers with an error, is Unhealthy; the
/// description says which, never the API key.</para>
/// <para>Other providers (DeepSeek, Qwen, OpenAI-compatible servers) offer no readiness endpoint of their own: the check reports
/// Healthy with <c>checked = false</c> in its data rather than spend a generation on a probe.</para>
/// </remarks>
public sealed class OpenModelHealthCheck : IHealthCheck
{
    private readonly IChatClient _client;

    /// <summary>Initializes a new instance of the <see cref="OpenModelHealthCheck"/> class.</summary>
    /// <param name="client">The chat client whose server is checked; the library's clients, bare or decorated.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public OpenModelHealthCheck(IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = _client.GetService<ChatClientMetadata>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["provider"] = metadata?.ProviderName ?? "unknown",
            ["endpoint"] = metadata?.ProviderUri?.GetLeftPart(UriPartial.Authority) ?? "unknown",
        };

        try
        {
            if (_client.GetService<LlamaCppServer>() is { } llama)
            {
                var health = await llama.GetHealthAsync(cancellationToken).ConfigureAwait(false);
                data["checked"] = true;
                if (!health.IsReady)
                {
                    return HealthCheckResult.Degraded($"The llama.cpp server is up but not ready: {health.Message ?? health.Status ?? "loading"}.", data: data);
                }

                if (await IsSleepingAsync(llama, metadata?.DefaultModelId, cancellationToken).ConfigureAwait(false) is { } sleeping)
                {
                    data["sleeping"] = sleeping;
                    if (sleeping)
                    {
                        return HealthCheckResult.Healthy("The llama.cpp server is asleep after idling; the next request reloads its model.", data);
                    }
                }

                return HealthCheckResult.Healthy("The llama.cpp server has loaded its model.", data);
            }

            if (_client.GetService<OllamaServer>() is { } ollama)
            {
                data["checked"] = true;
                if (!await ollama.IsRunningAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, "The Ollama server cannot be reached.", data: data);
                }

                if (metadata?.DefaultModelId is not { Length: > 0 } model)
                {
                    return HealthCheckResult.Healthy("The Ollama server is running.", data);
                }

                data["model"] = model;
                var models = await ollama.ListModelsAsync(cancellationToken).ConfigureAwait(false);
                return models.Any(m => IsSameModel(m.Name, model))
                    ? HealthCheckResult.Healthy($"The Ollama server is running and has {model}.", data)
                    : HealthCheckResult.Degraded($"The Ollama server is running but does not have {model} yet (ollama pull {model}).", data: data);
            }

            data["checked"] = false;
            return HealthCheckResult.Healthy("This provider has no readiness endpoint; not checked.", data);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException)
        {
            // The library's exceptions never carry the key; HttpRequestException's own messages name only host and port.
            string reason = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } and not OpenModelException
                ? "the server cannot be reached"
                : e.Message;
            return new HealthCheckResult(context.Registration.FailureStatus, $"{data["provider"]} at {data["endpoint"]}: {reason}.", data: data);
        }
    }

    // Whether the configured model (or a single-model server's one model) sleeps; null when the listing cannot be read (older builds).
    private static async Task<bool?> IsSleepingAsync(LlamaCppServer llama, string? model, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelStatus> statuses;
        try
        {
            statuses = await llama.GetModelStatusesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OpenModelException)
        {
            return null;
        }

        var status = statuses.Count == 1 ? statuses[0] : statuses.FirstOrDefault(s => string.Equals(s.ModelId, model, StringComparison.Ordinal));
        return status is null ? null : status.State == ModelLoadState.Sleeping;
    }

    // Ollama names a model "name:tag"; a configured "qwen3" means "qwen3:latest".
    private static bool IsSameModel(string? listed, string configured) =>
        listed is not null && (string.Equals(listed, configured, StringComparison.OrdinalIgnoreCase)
            || (!configured.Contains(':', StringComparison.Ordinal) && string.Equals(listed, configured + ":latest", StringComparison.OrdinalIgnoreCase)));
}
