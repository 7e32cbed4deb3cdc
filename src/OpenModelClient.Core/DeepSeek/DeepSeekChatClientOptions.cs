using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Settings for <see cref="DeepSeekChatClient"/>; read once, when the client is constructed.</summary>
public sealed class DeepSeekChatClientOptions
{
    /// <summary>Gets or sets the DeepSeek API key (<c>sk-…</c>), sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header, so the API answers 401.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens the reply becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>. DeepSeek itself sends reasoning in <c>reasoning_content</c>; this matters for proxies.</value>
    public bool SplitThinkTags { get; set; } = true;

    /// <summary>Gets or sets the logger factory for warnings: a JSON schema sent as instructions, a retired model id, a setting DeepSeek does not accept.</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged. Message content is never logged.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
