using System.Text.Json;

namespace OpenModelClient;

/// <summary>What <c>/api/show</c> says about one model: capabilities, trained context length, details, template and parameters.</summary>
public sealed class OllamaModelInfo
{
    /// <summary>The capability names Ollama's <c>/api/show</c> reports (<c>types/model/capability.go</c> in ollama/ollama).</summary>
    private const string Completion = "completion";
    private const string Tools = "tools";
    private const string Vision = "vision";
    private const string Thinking = "thinking";
    private const string EmbeddingCapability = "embedding";

    internal OllamaModelInfo(string name, OllamaShowResponse show)
    {
        Name = name;
        Capabilities = show.Capabilities ?? [];
        Details = new OllamaModelDetails(show.Details);
        Template = show.Template;
        Parameters = show.Parameters;
        Modelfile = show.Modelfile;
        ModifiedAt = show.ModifiedAt;
        ModelInfo = show.ModelInfo is { ValueKind: JsonValueKind.Object } info ? info : default;
        if (ModelInfo.ValueKind == JsonValueKind.Object)
        {
            Architecture = ModelInfo.TryGetProperty("general.architecture", out var arch) && arch.ValueKind == JsonValueKind.String ? arch.GetString() : null;
            ContextLength = FindContextLength(ModelInfo, Architecture);
        }
    }

    /// <summary>Gets the model name that was asked about.</summary>
    public string Name { get; }

    /// <summary>Gets the model's capabilities, e.g. <c>completion</c>, <c>tools</c>, <c>vision</c>, <c>thinking</c>, <c>embedding</c>, <c>insert</c>.</summary>
    public IReadOnlyList<string> Capabilities { get; }

    /// <summary>Gets a value indicating whether the model can chat or complete (<c>completion</c>).</summary>
    public bool SupportsCompletion => Has(Completion);

    /// <summary>Gets a value indicating whether the model can call tools (<c>tools</c>).</summary>
    public bool SupportsTools => Has(Tools);

    /// <summary>Gets a value indicating whether the model accepts images (<c>vision</c>).</summary>
    public bool SupportsVision => Has(Vision);

    /// <summary>Gets a value indicating whether the model can think (<c>thinking</c>); such a model thinks unless <c>think:false</c> is sent.</summary>
    public bool SupportsThinking => Has(Thinking);

    /// <summary>Gets a value indicating whether the model produces embeddings (<c>embedding</c>).</summary>
    public bool SupportsEmbedding => Has(EmbeddingCapability);

    /// <summary>Gets the GGUF architecture (<c>general.architecture</c>), e.g. <c>llama</c>, <c>qwen3</c>.</summary>
    public string? Architecture { get; }

    /// <summary>Gets the context length the model was trained with (<c>&lt;architecture&gt;.context_length</c>), in tokens; the server may run it with less (see <see cref="OllamaModelOptions.NumCtx"/>).</summary>
    public long? ContextLength { get; }

    /// <summary>Gets the format, family, size class and quantization.</summary>
    public OllamaModelDetails Details { get; }

    /// <summary>Gets the model's prompt template.</summary>
    public string? Template { get; }

    /// <summary>Gets the Modelfile <c>PARAMETER</c> lines (the model's own defaults), as text.</summary>
    public string? Parameters { get; }

    /// <summary>Gets the Modelfile, as text.</summary>
    public string? Modelfile { get; }

    /// <summary>Gets when the model was last pulled or created.</summary>
    public DateTimeOffset? ModifiedAt { get; }

    /// <summary>Gets the GGUF metadata object (<c>model_info</c>), for keys this type does not name; <c>default</c> when absent.</summary>
    public JsonElement ModelInfo { get; }

    private bool Has(string capability) => Capabilities.Contains(capability, StringComparer.OrdinalIgnoreCase);

    private static long? FindContextLength(JsonElement info, string? architecture)
    {
        if (architecture is not null && info.TryGetProperty(architecture + ".context_length", out var exact) && exact.ValueKind == JsonValueKind.Number && exact.TryGetInt64(out long n))
        {
            return n;
        }

        // Without general.architecture, take the one "<arch>.context_length" key there is.
        foreach (var property in info.EnumerateObject())
        {
            if (property.Name.EndsWith(".context_length", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out long value))
            {
                return value;
            }
        }

        return null;
    }
}
