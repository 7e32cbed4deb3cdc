namespace OpenModelClient;

/// <summary>A model's format, family, size class and quantization, as <c>/api/tags</c>, <c>/api/ps</c> and <c>/api/show</c> report them.</summary>
public sealed class OllamaModelDetails
{
    internal OllamaModelDetails(OllamaDetails? details)
    {
        ParentModel = NullIfEmpty(details?.ParentModel);
        Format = NullIfEmpty(details?.Format);
        Family = NullIfEmpty(details?.Family);
        Families = details?.Families ?? [];
        ParameterSize = NullIfEmpty(details?.ParameterSize);
        QuantizationLevel = NullIfEmpty(details?.QuantizationLevel);
    }

    /// <summary>Gets the model this one was derived from, if any.</summary>
    public string? ParentModel { get; }

    /// <summary>Gets the file format, e.g. <c>gguf</c>.</summary>
    public string? Format { get; }

    /// <summary>Gets the model family, e.g. <c>llama</c>, <c>qwen3</c>.</summary>
    public string? Family { get; }

    /// <summary>Gets every family the model belongs to (e.g. a vision model lists its projector's too).</summary>
    public IReadOnlyList<string> Families { get; }

    /// <summary>Gets the parameter count as the server writes it, e.g. <c>3.2B</c>.</summary>
    public string? ParameterSize { get; }

    /// <summary>Gets the quantization, e.g. <c>Q4_K_M</c>.</summary>
    public string? QuantizationLevel { get; }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
