namespace OpenModelClient;

/// <summary>Fetches the <see cref="ModelCapabilities"/> of a client's configured endpoint and model once, and caches them.</summary>
/// <remarks>
/// <para>This library's chat clients return one from <c>GetService(typeof(ModelCapabilitiesProvider))</c>: llama.cpp reads <c>/props</c>,
/// Ollama reads <c>/api/show</c> for the configured model, DeepSeek and Qwen use the providers' documented tables, and a generic
/// OpenAI-compatible server reports everything as unknown.</para>
/// <para>A failed fetch never throws: <see cref="GetCapabilitiesAsync"/> returns <see cref="ModelCapabilities.Unknown"/>, and so do the calls of the
/// next 30 seconds without asking again (a server that is down, or has no such endpoint, is not probed before every request); the call after
/// that tries again. A successful fetch is kept for the lifetime of the provider. Instances are thread-safe; concurrent first calls share one fetch.</para>
/// </remarks>
public sealed class ModelCapabilitiesProvider
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    private readonly Func<CancellationToken, Task<ModelCapabilities>> _fetch;
    private readonly TimeProvider _timeProvider;
    private readonly object _gate = new();
    private Task<ModelCapabilities>? _pending;
    private ModelCapabilities? _cached;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    /// <summary>Initializes a new instance of the <see cref="ModelCapabilitiesProvider"/> class.</summary>
    /// <param name="fetch">Reads the capabilities; it is called until it succeeds once. It is not given the caller's cancellation token, so one caller's cancellation does not fail a fetch others share.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> is <see langword="null"/>.</exception>
    public ModelCapabilitiesProvider(Func<CancellationToken, Task<ModelCapabilities>> fetch)
        : this(fetch, TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelCapabilitiesProvider"/> class with capabilities that are already known.</summary>
    /// <param name="capabilities">The capabilities.</param>
    /// <exception cref="ArgumentNullException"><paramref name="capabilities"/> is <see langword="null"/>.</exception>
    public ModelCapabilitiesProvider(ModelCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        _cached = capabilities;
        _fetch = _ => Task.FromResult(capabilities);
        _timeProvider = TimeProvider.System;
    }

    internal ModelCapabilitiesProvider(Func<CancellationToken, Task<ModelCapabilities>> fetch, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        _fetch = fetch;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the capabilities, fetching them on the first call.</summary>
    /// <param name="cancellationToken">The token to stop waiting; it does not cancel a fetch other callers share.</param>
    /// <returns>The capabilities, or <see cref="ModelCapabilities.Unknown"/> when they could not be fetched.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ModelCapabilities> GetCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _cached) is { } cached)
        {
            return cached;
        }

        Task<ModelCapabilities> pending;
        lock (_gate)
        {
            if (_pending is null && _timeProvider.GetUtcNow() < _retryAt)
            {
                return ModelCapabilities.Unknown;
            }

            pending = _pending ??= FetchAsync();
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ModelCapabilities> FetchAsync()
    {
        await Task.Yield();
        try
        {
            var result = await ProbeRequest.RunAsync(_fetch, CancellationToken.None).ConfigureAwait(false) ?? ModelCapabilities.Unknown;
            Volatile.Write(ref _cached, result);
            return result;
        }
#pragma warning disable CA1031 // a capability probe must never break chat: any failure means "unknown"
        catch (Exception)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                _retryAt = _timeProvider.GetUtcNow() + FailureBackoff;
                _pending = null;
            }

            return ModelCapabilities.Unknown;
        }
    }
}
