using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>Ollama's runtime <c>options</c> object (context size, sampling, hardware), typed. Every property left <see langword="null"/> is not sent, so the model's Modelfile value applies.</summary>
/// <remarks>
/// Where <see cref="Microsoft.Extensions.AI.ChatOptions"/> has the same setting (temperature, top_p, top_k, seed, max output tokens,
/// stop sequences, penalties), a value set on the <c>ChatOptions</c> of a request wins over the client's <see cref="OllamaModelOptions"/>,
/// and a value in <see cref="OllamaRequestSettings.ModelOptions"/> wins over both. Server defaults: https://github.com/ollama/ollama/blob/main/docs/modelfile.md#valid-parameters-and-values.
/// </remarks>
public sealed class OllamaModelOptions
{
    /// <summary>Gets or sets the context window in tokens (<c>num_ctx</c>).</summary>
    /// <value>The default is <see langword="null"/>: the server's default, which is 4k, 32k or 256k depending on VRAM, or <c>OLLAMA_CONTEXT_LENGTH</c>. Set it when prompts are long.</value>
    public int? NumCtx { get; set; }

    /// <summary>Gets or sets the sampling temperature (<c>temperature</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default 0.8).</value>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets top-k sampling (<c>top_k</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default 40).</value>
    public int? TopK { get; set; }

    /// <summary>Gets or sets nucleus sampling (<c>top_p</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default 0.9).</value>
    public float? TopP { get; set; }

    /// <summary>Gets or sets min-p sampling (<c>min_p</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public float? MinP { get; set; }

    /// <summary>Gets or sets typical sampling (<c>typical_p</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public float? TypicalP { get; set; }

    /// <summary>Gets or sets the random seed (<c>seed</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default -1, random).</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the maximum number of tokens to generate (<c>num_predict</c>); -1 means no limit.</summary>
    /// <value>The default is <see langword="null"/> (server default -1).</value>
    public int? NumPredict { get; set; }

    /// <summary>Gets or sets the stop sequences (<c>stop</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IList<string>? Stop { get; set; }

    /// <summary>Gets or sets the repetition penalty (<c>repeat_penalty</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default 1.0).</value>
    public float? RepeatPenalty { get; set; }

    /// <summary>Gets or sets how far back the repetition penalty looks, in tokens (<c>repeat_last_n</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default 64).</value>
    public int? RepeatLastN { get; set; }

    /// <summary>Gets or sets the presence penalty (<c>presence_penalty</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public float? PresencePenalty { get; set; }

    /// <summary>Gets or sets the frequency penalty (<c>frequency_penalty</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public float? FrequencyPenalty { get; set; }

    /// <summary>Gets or sets how many prompt tokens to keep when the context is shifted (<c>num_keep</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? NumKeep { get; set; }

    /// <summary>Gets or sets the prompt-processing batch size (<c>num_batch</c>).</summary>
    /// <value>The default is <see langword="null"/> (server default 512).</value>
    public int? NumBatch { get; set; }

    /// <summary>Gets or sets how many layers to offload to the GPU (<c>num_gpu</c>); -1 lets the server decide.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? NumGpu { get; set; }

    /// <summary>Gets or sets the GPU that holds small tensors (<c>main_gpu</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? MainGpu { get; set; }

    /// <summary>Gets or sets whether the model file is memory-mapped (<c>use_mmap</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public bool? UseMmap { get; set; }

    /// <summary>Gets or sets the number of CPU threads (<c>num_thread</c>).</summary>
    /// <value>The default is <see langword="null"/>: the server picks.</value>
    public int? NumThread { get; set; }

    /// <summary>Writes every set property into <paramref name="target"/>, replacing what is there.</summary>
    internal void WriteTo(JsonObject target)
    {
        Set(target, "num_ctx", NumCtx);
        Set(target, "temperature", Temperature);
        Set(target, "top_k", TopK);
        Set(target, "top_p", TopP);
        Set(target, "min_p", MinP);
        Set(target, "typical_p", TypicalP);
        Set(target, "seed", Seed);
        Set(target, "num_predict", NumPredict);
        if (Stop is { } stop)
        {
            target["stop"] = new JsonArray([.. stop.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        Set(target, "repeat_penalty", RepeatPenalty);
        Set(target, "repeat_last_n", RepeatLastN);
        Set(target, "presence_penalty", PresencePenalty);
        Set(target, "frequency_penalty", FrequencyPenalty);
        Set(target, "num_keep", NumKeep);
        Set(target, "num_batch", NumBatch);
        Set(target, "num_gpu", NumGpu);
        Set(target, "main_gpu", MainGpu);
        if (UseMmap is { } mmap)
        {
            target["use_mmap"] = mmap;
        }

        Set(target, "num_thread", NumThread);
    }

    private static void Set(JsonObject target, string key, int? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }

    private static void Set(JsonObject target, string key, float? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }
}
