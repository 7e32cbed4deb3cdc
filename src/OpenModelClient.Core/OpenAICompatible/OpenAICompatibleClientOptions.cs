namespace OpenModelClient;

/// <summary>Settings for <see cref="OpenAICompatibleChatClient"/> and <see cref="OpenAICompatibleEmbeddingGenerator"/>.</summary>
public sealed class OpenAICompatibleClientOptions
{
    /// <summary>Gets or sets the API key sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the provider name reported in metadata, telemetry and errors (e.g. <c>vllm</c>).</summary>
    /// <value>The default is <c>openai-compatible</c>.</value>
    public string ProviderName { get; set; } = ProviderNames.OpenAICompatible;

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens the reply becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SplitThinkTags { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether streaming requests ask for usage (<c>stream_options.include_usage</c>).</summary>
    /// <value>The default is <see langword="true"/>. Turn it off for servers that reject <c>stream_options</c>.</value>
    public bool IncludeUsageInStream { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <c>ChatOptions.Reasoning</c> is sent as <c>chat_template_kwargs.enable_thinking</c>.</summary>
    /// <value>The default is <see langword="true"/> (vLLM and SGLang with Qwen3-style templates understand it).</value>
    public bool SendEnableThinking { get; set; } = true;

    /// <summary>Gets or sets the assistant-message field that carries earlier reasoning back to the server; <see langword="null"/> drops it.</summary>
    /// <value>The default is <c>reasoning_content</c>.</value>
    public string? ReasoningHistoryField { get; set; } = "reasoning_content";
}
