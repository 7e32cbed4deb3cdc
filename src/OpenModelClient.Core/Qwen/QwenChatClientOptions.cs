using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Settings for <see cref="QwenChatClient"/>; read once, when the client is constructed.</summary>
/// <remarks>
/// The model lists take patterns where <c>*</c> matches any run of characters (<c>qwen3.7-*</c>), compared without regard to case.
/// Their defaults follow Model Studio's model list and deep-thinking guide (https://www.alibabacloud.com/help/en/model-studio/deep-thinking); add ids as Model Studio adds models.
/// </remarks>
public sealed class QwenChatClientOptions
{
    /// <summary>Gets or sets the Model Studio (DashScope) API key, sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header, so the API answers 401.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages. It works only in its own region.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets whether the model may search the web (<c>enable_search</c>), sent with every request.</summary>
    /// <value>The default is <see langword="null"/>: not sent (off). A request's <c>AdditionalProperties["enable_search"]</c> overrides it.</value>
    public bool? EnableSearch { get; set; }

    /// <summary>Gets or sets whether vision models read images at high resolution (<c>vl_high_resolution_images</c>), sent with every request.</summary>
    /// <value>The default is <see langword="null"/>: not sent (the server's default).</value>
    public bool? VlHighResolutionImages { get; set; }

    /// <summary>Gets or sets whether earlier turns' reasoning is kept (<c>preserve_thinking</c>) on the models that support it.</summary>
    /// <value>
    /// The default is <see langword="false"/>: reasoning goes back only within the tool-call turn in progress. When <see langword="true"/>,
    /// requests to a model in <see cref="PreservedThinkingModels"/> carry <c>preserve_thinking: true</c> and the reasoning of every earlier
    /// assistant message; other models are unaffected.
    /// </value>
    public bool PreserveThinking { get; set; }

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens the reply becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SplitThinkTags { get; set; } = true;

    /// <summary>Gets or sets the models that think only on streamed requests and think by default (open-source Qwen3 on Model Studio, thinking-only models).</summary>
    /// <value>
    /// The default lists <c>qwen3-235b-a22b</c>, <c>qwen3-32b</c>, <c>qwen3-30b-a3b</c>, <c>qwen3-14b</c>, <c>qwen3-8b</c>, <c>qwen3-4b</c>,
    /// <c>qwen3-1.7b</c>, <c>qwen3-0.6b</c>, <c>*-thinking-2507</c>, <c>qwen3-next-80b-a3b-thinking</c> and <c>qwq-*</c>.
    /// </value>
    /// <remarks>
    /// A non-streamed request to these models with thinking on (explicitly, or by omission) is sent streamed and aggregated, because the
    /// server answers 400 "parameter.enable_thinking must be set to false for non-streaming calls" otherwise.
    /// </remarks>
    public IList<string> StreamOnlyThinkingModels { get; set; } =
    [
        "qwen3-235b-a22b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-14b", "qwen3-8b", "qwen3-4b", "qwen3-1.7b", "qwen3-0.6b",
        "*-thinking-2507", "qwen3-next-80b-a3b-thinking", "qwq-*",
    ];

    /// <summary>Gets or sets the models that accept <c>preserve_thinking</c>.</summary>
    /// <value>The default lists <c>qwen3.6-plus*</c>, <c>qwen3.6-max-preview*</c>, <c>qwen3.7-*</c>, <c>qwen3.8-*</c> and <c>kimi-k2.7-code*</c>.</value>
    public IList<string> PreservedThinkingModels { get; set; } = ["qwen3.6-plus*", "qwen3.6-max-preview*", "qwen3.7-*", "qwen3.8-*", "kimi-k2.7-code*"];

    /// <summary>Gets or sets the models that accept <c>response_format: json_schema</c>; for others a schema is sent as instructions with <c>json_object</c>.</summary>
    /// <value>The default lists <c>qwen3.7-*</c> and <c>qwen3.8-*</c>.</value>
    public IList<string> JsonSchemaModels { get; set; } = ["qwen3.7-*", "qwen3.8-*"];

    /// <summary>Gets or sets the logger factory for warnings: a JSON schema sent as instructions, a setting Model Studio does not accept.</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged. Message content is never logged.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
