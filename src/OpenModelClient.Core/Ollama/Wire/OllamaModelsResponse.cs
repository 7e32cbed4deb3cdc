namespace OpenModelClient;

/// <summary>The body of <c>/api/tags</c> and of <c>/api/ps</c>: both are <c>{"models":[…]}</c>.</summary>
internal sealed class OllamaModelsResponse
{
    public List<OllamaModelEntry>? Models { get; set; }
}
