namespace OpenModelClient;

/// <summary>A model the Ollama server has locally, from <c>/api/tags</c>.</summary>
public sealed class OllamaModel
{
    internal OllamaModel(OllamaModelEntry entry)
    {
        Name = entry.Name ?? entry.Model ?? string.Empty;
        Model = entry.Model ?? Name;
        ModifiedAt = entry.ModifiedAt;
        SizeBytes = entry.Size;
        Digest = entry.Digest;
        Details = new OllamaModelDetails(entry.Details);
        Capabilities = entry.Capabilities;
    }

    /// <summary>Gets the model's name with its tag, e.g. <c>llama3.2:latest</c>: the value to pass as the model id.</summary>
    public string Name { get; }

    /// <summary>Gets the model reference the server reports (usually equal to <see cref="Name"/>).</summary>
    public string Model { get; }

    /// <summary>Gets when the model was last pulled or created.</summary>
    public DateTimeOffset? ModifiedAt { get; }

    /// <summary>Gets the model's size on disk, in bytes.</summary>
    public long? SizeBytes { get; }

    /// <summary>Gets the manifest digest.</summary>
    public string? Digest { get; }

    /// <summary>Gets the format, family, size class and quantization.</summary>
    public OllamaModelDetails Details { get; }

    /// <summary>Gets the model's capabilities (<c>completion</c>, <c>tools</c>, <c>vision</c>, <c>thinking</c>, <c>embedding</c>, …), or <see langword="null"/> on servers too old to list them here; <see cref="OllamaServer.ShowModelAsync"/> always has them.</summary>
    public IReadOnlyList<string>? Capabilities { get; }
}
