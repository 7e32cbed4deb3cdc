using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Settings for <see cref="OpenAICompatibleChatClient"/> and <see cref="OpenAICompatibleEmbeddingGenerator"/>; read once, at construction.</summary>
/// <remarks>
/// <see cref="Preset"/> supplies the defaults of a known server (see <see cref="OpenAICompatiblePreset"/>); every property left
/// <see langword="null"/> takes the preset's value, and every property set overrides it.
/// </remarks>
public sealed class OpenAICompatibleClientOptions
{
    /// <summary>Gets or sets the API key sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets the server whose defaults apply.</summary>
    /// <value>The default is <see cref="OpenAICompatiblePreset.Generic"/>.</value>
    public OpenAICompatiblePreset Preset { get; set; }

    /// <summary>Gets or sets the provider name reported in metadata, telemetry and errors, and used to tag the reasoning this client returns.</summary>
    /// <value>The default is <see langword="null"/>: the preset's name (<c>openai-compatible</c>, <c>vllm</c>, <c>sglang</c>, <c>lmstudio</c>, <c>ollama</c>).</value>
    public string? ProviderName { get; set; }

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens the reply becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SplitThinkTags { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether streaming requests ask for usage (<c>stream_options.include_usage</c>).</summary>
    /// <value>The default is <see langword="null"/>: <see langword="true"/> for every preset. Set <see langword="false"/> for servers that reject <c>stream_options</c>.</value>
    public bool? IncludeUsageInStream { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>ChatOptions.Reasoning.Effort</c> is sent, in the preset's form.</summary>
    /// <value>
    /// The default is <see langword="null"/>: the preset decides (<c>chat_template_kwargs</c> for Generic, vLLM and SGLang; <c>reasoning_effort</c>
    /// for Ollama; nothing for LM Studio, with a logged warning). <see langword="false"/> never sends it; <see langword="true"/> sends
    /// <c>chat_template_kwargs</c> where the preset has no switch.
    /// </value>
    public bool? SendReasoningEffort { get; set; }

    /// <summary>Gets or sets the request field that carries a thinking budget in tokens (Low 1024, Medium 4096, High 16384), e.g. vLLM's <c>thinking_token_budget</c>.</summary>
    /// <value>The default is <see langword="null"/>: no budget is sent (vLLM accepts one only when started with <c>--reasoning-config</c>).</value>
    public string? ThinkingBudgetField { get; set; }

    /// <summary>Gets or sets a value indicating whether earlier reasoning is sent back in assistant messages of the history.</summary>
    /// <value>The default is <see langword="null"/>: <see langword="true"/> for every preset. Reasoning another provider produced is never sent.</value>
    public bool? SendReasoningInHistory { get; set; }

    /// <summary>Gets or sets the assistant-message field that carries earlier reasoning back to the server.</summary>
    /// <value>The default is <see langword="null"/>: the preset's (<c>reasoning</c> for vLLM and Ollama, <c>reasoning_content</c> otherwise).</value>
    public string? ReasoningHistoryField { get; set; }

    /// <summary>Gets or sets the logger factory for warnings about settings the server cannot honour.</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged. Message content is never logged.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
