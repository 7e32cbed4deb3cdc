namespace OpenModelClient;

/// <summary>One model of a server and its load state, as <see cref="IModelLifecycle"/> reports it.</summary>
public sealed class ModelStatus
{
    /// <summary>Initializes a new instance of the <see cref="ModelStatus"/> class.</summary>
    /// <param name="modelId">The model id, as requests name it.</param>
    /// <param name="state">The load state.</param>
    /// <param name="progress">How far a load has come, from 0 to 1, when the server says.</param>
    public ModelStatus(string modelId, ModelLoadState state, double? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ModelId = modelId;
        State = state;
        Progress = progress;
    }

    /// <summary>Gets the model id, as requests name it.</summary>
    public string ModelId { get; }

    /// <summary>Gets the load state.</summary>
    public ModelLoadState State { get; }

    /// <summary>Gets how far a load has come, from 0 to 1, when the server says; otherwise <see langword="null"/>.</summary>
    public double? Progress { get; }

    /// <inheritdoc />
    public override string ToString() => Progress is { } p ? $"{ModelId}: {State} ({p:P0})" : $"{ModelId}: {State}";
}
