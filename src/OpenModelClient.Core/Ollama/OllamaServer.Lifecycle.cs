using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>Ollama's model lifecycle through <see cref="IModelLifecycle"/>: the local models (<c>/api/tags</c>) with those in memory
/// (<c>/api/ps</c>) reported <see cref="ModelLoadState.Loaded"/>; a chat with no messages loads a model, the same with
/// <c>keep_alive: 0</c> unloads it (https://github.com/ollama/ollama/blob/main/docs/api.md#load-a-model).</summary>
public sealed partial class OllamaServer : IModelLifecycle
{
    private static readonly TimeSpan LoadPollInterval = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelStatus>> GetModelStatusesAsync(CancellationToken cancellationToken = default)
    {
        var local = await ListModelsAsync(cancellationToken).ConfigureAwait(false);
        var running = await ListRunningModelsAsync(cancellationToken).ConfigureAwait(false);
        var loaded = running.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var result = local.Select(m => new ModelStatus(m.Name, loaded.Contains(m.Name) ? ModelLoadState.Loaded : ModelLoadState.Unloaded)).ToList();
        result.AddRange(running.Where(r => !local.Any(m => m.Name == r.Name)).Select(r => new ModelStatus(r.Name, ModelLoadState.Loaded)));
        return result;
    }

    /// <inheritdoc />
    /// <remarks>Ollama loads synchronously: the call returns once the model is in memory.</remarks>
    public Task LoadModelAsync(string modelId, CancellationToken cancellationToken = default) => EmptyChatAsync(modelId, keepAlive: null, cancellationToken);

    /// <inheritdoc />
    public Task UnloadModelAsync(string modelId, CancellationToken cancellationToken = default) => EmptyChatAsync(modelId, keepAlive: 0, cancellationToken);

    /// <inheritdoc />
    public async Task WaitUntilLoadedAsync(string modelId, TimeSpan timeout, IProgress<ModelStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        long start = TimeProvider.System.GetTimestamp();
        ModelLoadState? last = null;
        while (true)
        {
            var running = await ListRunningModelsAsync(cancellationToken).ConfigureAwait(false);
            var state = running.Any(m => m.Name == modelId || m.Model == modelId) ? ModelLoadState.Loaded : ModelLoadState.Unloaded;
            if (state != last)
            {
                last = state;
                progress?.Report(new ModelStatus(modelId, state));
            }

            if (state == ModelLoadState.Loaded)
            {
                return;
            }

            if (TimeProvider.System.GetElapsedTime(start) + LoadPollInterval > timeout)
            {
                throw new TimeoutException($"model '{modelId}' on {Endpoint} was not loaded within {timeout}; it is not in /api/ps");
            }

            await Task.Delay(LoadPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task WarmUpAsync(string modelId, string? systemPrompt = null, CancellationToken cancellationToken = default)
    {
        await LoadModelAsync(modelId, cancellationToken).ConfigureAwait(false);
        if (systemPrompt is null)
        {
            return;
        }

        // One generated token over the system prompt: Ollama keeps the processed prompt for the next request that starts the same way.
        var body = new JsonObject
        {
            ["model"] = modelId,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = systemPrompt }),
            ["stream"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 1 },
        };
        await PostAsync("api/chat", body, modelId, cancellationToken).ConfigureAwait(false);
    }

    private Task EmptyChatAsync(string modelId, int? keepAlive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        var body = new JsonObject { ["model"] = modelId, ["messages"] = new JsonArray(), ["stream"] = false };
        if (keepAlive is { } seconds)
        {
            body["keep_alive"] = seconds;
        }

        return PostAsync("api/chat", body, modelId, cancellationToken);
    }

    private async Task PostAsync(string path, JsonObject body, string modelId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, path)) { Content = ModelHttpTransport.CreateJsonContent(body) };
        try
        {
            var (_, response) = await Transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
            response.Dispose();
        }
        catch (ModelNotFoundException e)
        {
            throw WithPullHint(e, modelId, pullIfMissingKnob: false);
        }
    }
}
