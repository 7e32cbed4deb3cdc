using System.Net;
using System.Text.Json;

namespace OpenModelClient;

/// <summary>Waiting for a router's model by following its events (<c>GET /models/sse</c>) rather than polling <c>/models</c>.</summary>
/// <remarks>
/// A router streams one SSE event per change of a model's state: <c>{"model", "event", "data": {"status", "progress"}}</c>, where
/// <c>event</c> is <c>status_change</c> (build b10309) or <c>model_status</c> (the server's README), <c>status</c> is <c>loading</c>,
/// <c>loaded</c>, <c>sleeping</c> or <c>unloaded</c> (with <c>failed: true</c> after a failed load), and a load reports
/// <c>progress: {"stages": [...], "current", "value"}</c> (https://github.com/ggml-org/llama.cpp/tree/master/tools/server#get-modelssse-real-time-events).
/// The events give the load's progress, which the listing does not. A server without the endpoint, a stream that ends, or a
/// state the events cannot settle (a sleeping model) hands the wait back to polling.
/// </remarks>
public sealed partial class LlamaCppServer
{
    /// <summary>Follows the router's events until <paramref name="modelId"/> is loaded. <c>Done</c> is <see langword="false"/> when polling
    /// must take over; <c>Last</c> is the last state reported.</summary>
    private async Task<(bool Done, ModelLoadState? Last)> TryWaitWithEventsAsync(string modelId, TimeSpan timeout, IProgress<ModelStatus> progress, long start, CancellationToken cancellationToken)
    {
        var left = timeout - _timeProvider.GetElapsedTime(start);
        if (left <= TimeSpan.Zero)
        {
            return (false, null);
        }

        using var deadline = new CancellationTokenSource(left, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        ModelStatus? last = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, "models/sse"));
            HttpResponseMessage response;
            try
            {
                response = await _transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            }
            catch (OpenModelException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
            {
                return (false, null); // an older build, or not a router
            }

            using (response)
            {
                // Subscribed first, listed second: a change between the two still arrives as an event.
                var listed = (await GetModelStatusesAsync(linked.Token).ConfigureAwait(false)).FirstOrDefault(s => string.Equals(s.ModelId, modelId, StringComparison.Ordinal))
                    ?? throw new ModelNotFoundException(ProviderNames.LlamaCpp, null, $"model '{modelId}' is not one of the server's models", "model_not_found");
                if (!Report(listed))
                {
                    return (listed.State == ModelLoadState.Loaded, last?.State);
                }

                var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false), _transport.Limits.MaxStreamBytes, _transport.Limits.MaxLineBytes);
                await using var streamScope = stream.ConfigureAwait(false);
                await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(linked.Token).ConfigureAwait(false))
                {
                    if (ParseEvent(item.Data, modelId) is { } status && !Report(status))
                    {
                        return (status.State == ModelLoadState.Loaded, last?.State);
                    }
                }

                return (false, last?.State); // the stream ended: poll for the rest
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"model '{modelId}' on {_root} was not loaded within {timeout}; last state: {last?.State.ToString() ?? "unknown"}");
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException && e is not OpenModelException && !cancellationToken.IsCancellationRequested)
        {
            return (false, last?.State); // the event stream broke: poll for the rest
        }

        // Reports a change; false when the wait is over (loaded), or must go back to polling (sleeping, unknown). A failed load throws.
        bool Report(ModelStatus status)
        {
            if (last is null || last.State != status.State || last.Progress != status.Progress)
            {
                last = status;
                progress.Report(status);
            }

            return status.State switch
            {
                ModelLoadState.Loaded or ModelLoadState.Sleeping or ModelLoadState.Unknown => false,
                ModelLoadState.Failed => throw new OpenModelException(OpenModelErrorKind.ServerError, ProviderNames.LlamaCpp, null, $"model '{modelId}' failed to load", "model_load_failed"),
                _ => true,
            };
        }
    }

    /// <summary>Reads one router event about <paramref name="modelId"/>; <see langword="null"/> for any other event or model.</summary>
    private static ModelStatus? ParseEvent(byte[] data, string modelId)
    {
        try
        {
            using var doc = JsonDocument.Parse(data);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || LlamaCppJson.GetString(root, "model") != modelId
                || LlamaCppJson.GetString(root, "event") is not ("status_change" or "model_status")
                || !root.TryGetProperty("data", out var body) || body.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var state = ParseState(LlamaCppJson.GetString(body, "status"));
            if (LlamaCppJson.GetBool(body, "failed") == true)
            {
                state = ModelLoadState.Failed;
            }

            return new ModelStatus(modelId, state, state == ModelLoadState.Loading ? LoadProgress(body) : null);
        }
        catch (JsonException)
        {
            return null; // not an event this client knows
        }
    }

    /// <summary>The share of the whole load done: stages before the current one count whole, the current one by its <c>value</c>.</summary>
    private static double? LoadProgress(JsonElement body)
    {
        if (!body.TryGetProperty("progress", out var progress) || progress.ValueKind != JsonValueKind.Object
            || !progress.TryGetProperty("value", out var valueElement) || !valueElement.TryGetDouble(out double value))
        {
            return null;
        }

        int stages = 1, index = 0;
        if (progress.TryGetProperty("stages", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
        {
            stages = list.GetArrayLength();
            string? current = LlamaCppJson.GetString(progress, "current");
            int i = 0;
            foreach (var stage in list.EnumerateArray())
            {
                if (stage.ValueKind == JsonValueKind.String && stage.GetString() == current)
                {
                    index = i;
                    break;
                }

                i++;
            }
        }

        return Math.Clamp((index + Math.Clamp(value, 0, 1)) / stages, 0, 1);
    }
}
