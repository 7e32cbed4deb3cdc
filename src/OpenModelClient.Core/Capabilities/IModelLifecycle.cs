namespace OpenModelClient;

/// <summary>Loading and unloading the models of a server that holds several: llama.cpp in router mode (<see cref="LlamaCppServer"/>) and
/// Ollama (<see cref="OllamaServer"/>), through one shape. Also reachable from their chat clients with <c>GetService&lt;IModelLifecycle&gt;()</c>.</summary>
public interface IModelLifecycle
{
    /// <summary>Lists the server's models with their load state.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The models.</returns>
    Task<IReadOnlyList<ModelStatus>> GetModelStatusesAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts loading a model; <see cref="WaitUntilLoadedAsync"/> waits for it.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the server accepted the load.</returns>
    /// <exception cref="ModelNotFoundException">The server has no such model.</exception>
    Task LoadModelAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Unloads a model from memory.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the server accepted the unload.</returns>
    Task UnloadModelAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Waits until a model is loaded, reporting each change of its state (and load progress, where the server gives it).</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="progress">Receives the model's status whenever it changes; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The token to cancel the wait.</param>
    /// <returns>A task that completes when the model is loaded.</returns>
    /// <exception cref="TimeoutException">The model was not loaded within <paramref name="timeout"/>; the message says its last state.</exception>
    /// <exception cref="ModelNotFoundException">The server has no such model.</exception>
    /// <exception cref="OpenModelException">The load failed.</exception>
    Task WaitUntilLoadedAsync(string modelId, TimeSpan timeout, IProgress<ModelStatus>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Loads a model and, when a system prompt is given, has the server process it once, so that the first real request with
    /// the same system prompt starts from the server's prompt cache.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="systemPrompt">The system prompt to prefill; <see langword="null"/> to only load.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the model is loaded and the prompt processed.</returns>
    Task WarmUpAsync(string modelId, string? systemPrompt = null, CancellationToken cancellationToken = default);
}
