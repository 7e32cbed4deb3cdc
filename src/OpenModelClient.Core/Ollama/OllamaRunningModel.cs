namespace OpenModelClient;

/// <summary>A model currently loaded in memory, from <c>/api/ps</c>.</summary>
public sealed class OllamaRunningModel
{
    internal OllamaRunningModel(OllamaModelEntry entry)
    {
        Name = entry.Name ?? entry.Model ?? string.Empty;
        Model = entry.Model ?? Name;
        SizeBytes = entry.Size;
        VramBytes = entry.SizeVram;
        Digest = entry.Digest;
        Details = new OllamaModelDetails(entry.Details);
        ExpiresAt = entry.ExpiresAt;
        ContextLength = entry.ContextLength;
    }

    /// <summary>Gets the model's name with its tag, e.g. <c>llama3.2:latest</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the model reference the server reports.</summary>
    public string Model { get; }

    /// <summary>Gets the memory the loaded model takes, in bytes.</summary>
    public long? SizeBytes { get; }

    /// <summary>Gets the part of <see cref="SizeBytes"/> in GPU memory, in bytes.</summary>
    public long? VramBytes { get; }

    /// <summary>Gets the manifest digest.</summary>
    public string? Digest { get; }

    /// <summary>Gets the format, family, size class and quantization.</summary>
    public OllamaModelDetails Details { get; }

    /// <summary>Gets when the server will unload the model unless it is used again (see <c>keep_alive</c>).</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Gets the context size the model is loaded with, in tokens.</summary>
    public long? ContextLength { get; }
}
