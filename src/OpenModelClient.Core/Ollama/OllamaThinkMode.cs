namespace OpenModelClient;

/// <summary>The values of Ollama's <c>think</c> request field: off, on, or a reasoning level for models that take levels.</summary>
/// <remarks>
/// <see cref="Enabled"/> is sent as <c>true</c> (the server treats it as level "medium"); the levels are sent as strings.
/// GPT-OSS ignores booleans and needs a level; most other thinking models take only booleans. A level the server rejects
/// is retried once as <c>true</c> (see <see cref="OllamaChatClient"/>).
/// </remarks>
public enum OllamaThinkMode
{
    /// <summary><c>think: false</c>: no thinking.</summary>
    Disabled,

    /// <summary><c>think: true</c>: thinking at the model's default level.</summary>
    Enabled,

    /// <summary><c>think: "low"</c>.</summary>
    Low,

    /// <summary><c>think: "medium"</c>.</summary>
    Medium,

    /// <summary><c>think: "high"</c>.</summary>
    High,

    /// <summary><c>think: "max"</c>.</summary>
    Max,
}
