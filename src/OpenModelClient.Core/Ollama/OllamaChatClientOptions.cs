using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Settings for <see cref="OllamaChatClient"/>; read once, when the client is constructed.</summary>
public sealed class OllamaChatClientOptions
{
    /// <summary>Gets or sets the key for hosted Ollama (<c>https://ollama.com</c>), sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header, as a local server needs none.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets how long the model stays loaded after each request (<c>keep_alive</c>).</summary>
    /// <value>The default is <see langword="null"/>: the server's default (5 minutes). <see cref="TimeSpan.Zero"/> unloads after each request; <see cref="Timeout.InfiniteTimeSpan"/> keeps the model loaded.</value>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Gets or sets the <c>think</c> value sent when a request sets neither <c>ChatOptions.Reasoning</c> nor <see cref="OllamaRequestSettings.Think"/>.</summary>
    /// <value>The default is <see langword="null"/>: nothing is sent, and the server thinks on every model that can.</value>
    public OllamaThinkMode? Think { get; set; }

    /// <summary>Gets or sets the runtime <c>options</c> (e.g. <see cref="OllamaModelOptions.NumCtx"/>) sent with every request.</summary>
    /// <value>The default is an instance with nothing set.</value>
    public OllamaModelOptions ModelOptions { get; set; } = new();

    /// <summary>Gets or sets the model-name prefixes of models that take reasoning levels, so that <c>ChatOptions.Reasoning.Effort</c> is sent as <c>"low"</c>/<c>"medium"</c>/<c>"high"</c> rather than <c>true</c>.</summary>
    /// <value>The default is <c>gpt-oss</c>, the family whose thinking takes levels rather than a boolean (https://github.com/ollama/ollama/blob/main/docs/api.md). Matching ignores case and any <c>namespace/</c> before the name.</value>
    public IList<string> ThinkLevelModels { get; set; } = ["gpt-oss"];

    /// <summary>Gets or sets a value indicating whether a model the server does not have is pulled (<c>/api/pull</c>), after which the request is sent again once.</summary>
    /// <value>The default is <see langword="false"/>: a missing model throws <see cref="ModelNotFoundException"/> saying how to pull it.</value>
    /// <remarks>Pulling can download gigabytes; the first request waits for it. Progress goes to <see cref="PullProgress"/>.</remarks>
    public bool PullIfMissing { get; set; }

    /// <summary>Gets or sets where the progress of a pull started by <see cref="PullIfMissing"/> is reported.</summary>
    /// <value>The default is <see langword="null"/>: progress is not reported.</value>
    public IProgress<OllamaPullProgress>? PullProgress { get; set; }

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens the reply's <c>content</c> becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>. It matters for models whose template the server cannot parse; reasoning in <c>message.thinking</c> is always surfaced.</value>
    public bool SplitThinkTags { get; set; } = true;

    /// <summary>Gets or sets the logger factory for warnings (a rejected think level, a tool mode Ollama cannot honour, a pull started by <see cref="PullIfMissing"/>).</summary>
    /// <value>The default is <see langword="null"/>: nothing is logged. Message content is never logged.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
