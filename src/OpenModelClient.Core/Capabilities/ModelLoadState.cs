namespace OpenModelClient;

/// <summary>Where a model stands on a server that loads and unloads models (<see cref="IModelLifecycle"/>).</summary>
public enum ModelLoadState
{
    /// <summary>The server did not say.</summary>
    Unknown,

    /// <summary>Known to the server, not in memory.</summary>
    Unloaded,

    /// <summary>Being loaded.</summary>
    Loading,

    /// <summary>In memory and serving.</summary>
    Loaded,

    /// <summary>The last load failed.</summary>
    Failed,

    /// <summary>Unloaded from memory after a spell of idleness (llama.cpp <c>--sleep-idle-seconds</c>), with its server still running: the
    /// next request reloads it. Not an error, and not ready either: the first request waits for the reload.</summary>
    Sleeping,
}
