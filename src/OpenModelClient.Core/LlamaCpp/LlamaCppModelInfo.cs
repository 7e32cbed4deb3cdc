using System.Text.Json;

namespace OpenModelClient;

/// <summary>One entry of llama.cpp's <c>/v1/models</c>.</summary>
public sealed class LlamaCppModelInfo
{
    internal LlamaCppModelInfo(JsonElement raw)
    {
        Raw = raw;
        Id = LlamaCppJson.GetString(raw, "id") ?? string.Empty;
        OwnedBy = LlamaCppJson.GetString(raw, "owned_by");
        CreatedAt = WireNumbers.UnixSeconds(LlamaCppJson.GetInt64(raw, "created"));
        if (raw.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            ContextLength = LlamaCppJson.GetInt64(meta, "n_ctx");
            TrainingContextLength = LlamaCppJson.GetInt64(meta, "n_ctx_train");
            ParameterCount = LlamaCppJson.GetInt64(meta, "n_params");
            SizeBytes = LlamaCppJson.GetInt64(meta, "size");
            VocabularySize = LlamaCppJson.GetInt64(meta, "n_vocab");
            EmbeddingLength = LlamaCppJson.GetInt64(meta, "n_embd");
        }
    }

    /// <summary>Gets the model id: the <c>--alias</c>, or the model path.</summary>
    public string Id { get; }

    /// <summary>Gets the owner reported by the server (<c>llamacpp</c>).</summary>
    public string? OwnedBy { get; }

    /// <summary>Gets the time the server reports as the model's creation.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>Gets the context size the server runs the model with (<c>meta.n_ctx</c>), when reported.</summary>
    public long? ContextLength { get; }

    /// <summary>Gets the context size the model was trained with (<c>meta.n_ctx_train</c>); <see langword="null"/> while loading.</summary>
    public long? TrainingContextLength { get; }

    /// <summary>Gets the number of parameters (<c>meta.n_params</c>).</summary>
    public long? ParameterCount { get; }

    /// <summary>Gets the model size in bytes (<c>meta.size</c>).</summary>
    public long? SizeBytes { get; }

    /// <summary>Gets the vocabulary size (<c>meta.n_vocab</c>).</summary>
    public long? VocabularySize { get; }

    /// <summary>Gets the embedding width (<c>meta.n_embd</c>).</summary>
    public long? EmbeddingLength { get; }

    /// <summary>Gets the whole entry, for fields this type does not name.</summary>
    public JsonElement Raw { get; }
}
