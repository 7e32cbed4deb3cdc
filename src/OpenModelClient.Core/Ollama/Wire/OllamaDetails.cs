namespace OpenModelClient;

/// <summary>The <c>details</c> object of <c>/api/tags</c>, <c>/api/ps</c> and <c>/api/show</c>.</summary>
internal sealed class OllamaDetails
{
    public string? ParentModel { get; set; }

    public string? Format { get; set; }

    public string? Family { get; set; }

    public List<string>? Families { get; set; }

    public string? ParameterSize { get; set; }

    public string? QuantizationLevel { get; set; }
}
