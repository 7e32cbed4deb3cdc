using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>llama.cpp's router mode (a server started without <c>-m</c>, with <c>--models-dir</c> or a preset): <c>GET /models</c> lists each
/// model with <c>status.value</c> (<c>unloaded</c>, <c>loading</c>, <c>loaded</c>), <c>POST /models/load</c> and <c>/models/unload</c> take
/// <c>{"model"}</c>, and each chat request's <c>model</c> picks the model (<c>ChatOptions.ModelId</c>). A single-model server lists its one
/// model without a status: it is reported <see cref="ModelLoadState.Loaded"/>, or <see cref="ModelLoadState.Sleeping"/> when its <c>/props</c>
/// says <c>is_sleeping</c>.</summary>
/// <remarks>A server started with <c>--sleep-idle-seconds</c> unloads its model after that much idleness and reloads it on the next task
/// (https://github.com/ggml-org/llama.cpp/tree/master/tools/server#sleeping-on-idle); <c>/health</c>, <c>/props</c> and <c>/models</c> do not wake
/// it. A router lists such a model as <c>sleeping</c> and answers <c>/models/load</c> for it with 400 "model is already running", so
/// <see cref="LoadModelAsync"/> and <see cref="WaitUntilLoadedAsync"/> wake it with an empty <c>/tokenize</c> instead, a task that generates
/// nothing.</remarks>
public sealed partial class LlamaCppServer : IModelLifecycle
{
    private static readonly TimeSpan LoadPollInterval = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelStatus>> GetModelStatusesAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await GetJsonAsync("models", cancellationToken).ConfigureAwait(false);
        var result = new List<ModelStatus>();
        bool? sleeping = null;
        if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                if (LlamaCppJson.GetString(item, "id") is not { Length: > 0 } id)
                {
                    continue;
                }

                ModelLoadState state;
                if (item.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object)
                {
                    state = ParseState(LlamaCppJson.GetString(status, "value"));
                }
                else
                {
                    // A single-model server: its model is loaded unless the server sleeps, which only /props tells.
                    sleeping ??= (await GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).IsSleeping;
                    state = sleeping.Value ? ModelLoadState.Sleeping : ModelLoadState.Loaded;
                }

                result.Add(new ModelStatus(id, state));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task LoadModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        try
        {
            using var doc = await PostJsonAsync("models/load", new JsonObject { ["model"] = modelId }, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelNotFoundException e)
        {
            throw new ModelNotFoundException(ProviderNames.LlamaCpp, e.StatusCode, $"model '{modelId}' is not one of the server's models (or the server is not in router mode): {e.ProviderMessage}", e.ErrorCode, e.RequestId, e);
        }
        catch (InvalidRequestException e) when (e.ProviderMessage == "model is already running")
        {
            // Loaded, or asleep with its server running: a task wakes a sleeping model (and costs nothing on a loaded one).
            await WakeAsync(modelId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task UnloadModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        try
        {
            using var doc = await PostJsonAsync("models/unload", new JsonObject { ["model"] = modelId }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException e) when (e.ProviderMessage == "model is not running")
        {
            // Already unloaded: the state asked for holds.
        }
    }

    /// <inheritdoc />
    public async Task WaitUntilLoadedAsync(string modelId, TimeSpan timeout, IProgress<ModelStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        long start = _timeProvider.GetTimestamp();
        ModelLoadState? last = null;
        if (progress is not null)
        {
            // A router's events carry the load's progress; the listing below (polling) only its state.
            (bool done, last) = await TryWaitWithEventsAsync(modelId, timeout, progress, start, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return;
            }
        }

        while (true)
        {
            var statuses = await GetModelStatusesAsync(cancellationToken).ConfigureAwait(false);
            var status = statuses.FirstOrDefault(s => string.Equals(s.ModelId, modelId, StringComparison.Ordinal))
                ?? throw new ModelNotFoundException(ProviderNames.LlamaCpp, null, $"model '{modelId}' is not one of the server's models ({string.Join(", ", statuses.Select(s => s.ModelId))})", "model_not_found");
            if (status.State != last)
            {
                last = status.State;
                progress?.Report(status);
            }

            switch (status.State)
            {
                case ModelLoadState.Loaded:
                    return;
                case ModelLoadState.Sleeping:
                    // Waking answers once the model is back in memory; the next listing says Loaded.
                    await WakeAsync(modelId, cancellationToken).ConfigureAwait(false);
                    break;
                case ModelLoadState.Failed:
                    throw new OpenModelException(OpenModelErrorKind.ServerError, ProviderNames.LlamaCpp, null, $"model '{modelId}' failed to load", "model_load_failed");
            }

            if (_timeProvider.GetElapsedTime(start) + LoadPollInterval > timeout)
            {
                throw new TimeoutException($"model '{modelId}' on {_root} was not loaded within {timeout}; last state: {status.State}");
            }

            await Task.Delay(LoadPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task WarmUpAsync(string modelId, string? systemPrompt = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        var messages = new JsonArray(systemPrompt is null
            ? new JsonObject { ["role"] = "user", ["content"] = string.Empty }
            : new JsonObject { ["role"] = "system", ["content"] = systemPrompt });

        // One generated token: the model loads (a router loads it on demand) and the prompt's prefix stays in the slot's cache.
        var body = new JsonObject { ["model"] = modelId, ["messages"] = messages, ["max_tokens"] = 1, ["cache_prompt"] = true };
        using var doc = await PostJsonAsync("v1/chat/completions", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the server a task that generates nothing (an empty <c>/tokenize</c>): a sleeping model reloads for it. A router routes
    /// it by <c>model</c>; a single-model server ignores the field.</summary>
    internal async Task WakeAsync(string? modelId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["content"] = string.Empty, ["add_special"] = false };
        if (modelId is not null)
        {
            body["model"] = modelId;
        }

        using var doc = await PostJsonAsync("tokenize", body, cancellationToken).ConfigureAwait(false);
    }

    private static ModelLoadState ParseState(string? value) => value switch
    {
        "loaded" => ModelLoadState.Loaded,
        "sleeping" => ModelLoadState.Sleeping,
        "loading" => ModelLoadState.Loading,
        "unloaded" => ModelLoadState.Unloaded,
        "failed" or "error" => ModelLoadState.Failed,
        _ => ModelLoadState.Unknown,
    };
}
