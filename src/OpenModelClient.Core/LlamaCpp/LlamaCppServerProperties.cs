using System.Text.Json;

namespace OpenModelClient;

/// <summary>What llama.cpp's <c>/props</c> reports: context size, slots, model, chat template and its capabilities, modalities.</summary>
public sealed class LlamaCppServerProperties
{
    internal LlamaCppServerProperties(JsonElement raw)
    {
        Raw = raw;
        if (raw.TryGetProperty("default_generation_settings", out var settings))
        {
            ContextLength = LlamaCppJson.GetInt64(settings, "n_ctx");
        }

        TotalSlots = LlamaCppJson.GetInt64(raw, "total_slots");
        ModelPath = LlamaCppJson.GetString(raw, "model_path");
        ModelAlias = LlamaCppJson.GetString(raw, "model_alias");
        ChatTemplate = LlamaCppJson.GetString(raw, "chat_template");
        BuildInfo = LlamaCppJson.GetString(raw, "build_info");
        IsSleeping = LlamaCppJson.GetBool(raw, "is_sleeping") ?? false;
        if (raw.TryGetProperty("modalities", out var modalities))
        {
            SupportsVision = LlamaCppJson.GetBool(modalities, "vision") ?? false;
            SupportsAudio = LlamaCppJson.GetBool(modalities, "audio") ?? false;
        }

        var caps = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (raw.TryGetProperty("chat_template_caps", out var capsElement) && capsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var cap in capsElement.EnumerateObject())
            {
                if (cap.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    caps[cap.Name] = cap.Value.GetBoolean();
                }
            }
        }

        ChatTemplateCapabilities = caps;
    }

    /// <summary>Gets the context size of one slot in tokens (<c>default_generation_settings.n_ctx</c>): the most one request can use.</summary>
    public long? ContextLength { get; }

    /// <summary>Gets the number of slots, i.e. requests the server runs in parallel (<c>total_slots</c>).</summary>
    public long? TotalSlots { get; }

    /// <summary>Gets the model file path (<c>model_path</c>).</summary>
    public string? ModelPath { get; }

    /// <summary>Gets the model alias (<c>--alias</c>, or the path).</summary>
    public string? ModelAlias { get; }

    /// <summary>Gets the Jinja chat template in use.</summary>
    public string? ChatTemplate { get; }

    /// <summary>Gets the build, e.g. <c>b10309-82bb485</c>.</summary>
    public string? BuildInfo { get; }

    /// <summary>Gets a value indicating whether the model is unloaded by <c>--sleep-idle-seconds</c> (the next request reloads it).</summary>
    public bool IsSleeping { get; }

    /// <summary>Gets a value indicating whether the server accepts images (started with a vision <c>--mmproj</c>).</summary>
    public bool SupportsVision { get; }

    /// <summary>Gets a value indicating whether the server accepts audio input.</summary>
    public bool SupportsAudio { get; }

    /// <summary>Gets a value indicating whether the chat template supports tool calls (<c>chat_template_caps.supports_tool_calls</c>).</summary>
    public bool SupportsToolCalls => ChatTemplateCapabilities.TryGetValue("supports_tool_calls", out var value) && value;

    /// <summary>Gets a value indicating whether the template renders earlier reasoning back into the prompt (<c>supports_preserve_reasoning</c>).</summary>
    public bool SupportsPreserveReasoning => ChatTemplateCapabilities.TryGetValue("supports_preserve_reasoning", out var value) && value;

    /// <summary>Gets every capability flag of the chat template (<c>chat_template_caps</c>).</summary>
    public IReadOnlyDictionary<string, bool> ChatTemplateCapabilities { get; }

    /// <summary>Gets the whole <c>/props</c> document, for fields this type does not name.</summary>
    public JsonElement Raw { get; }
}
