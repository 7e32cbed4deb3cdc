namespace OpenModelClient;

/// <summary>Settings for <see cref="LlamaCppChatClient"/>, <see cref="LlamaCppEmbeddingGenerator"/> and <see cref="LlamaCppServer"/>.</summary>
public sealed class LlamaCppClientOptions
{
    /// <summary>Gets or sets the key of a server started with <c>--api-key</c>, sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>: no <c>Authorization</c> header.</value>
    /// <remarks>The key is only ever written to that header: never to metadata, logs or exception messages.</remarks>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the bounds on what the server may send: the longest stream line, the largest body and stream.</summary>
    /// <value>The defaults: 8 MiB lines, 64 MiB bodies, 1 GiB streams.</value>
    public OpenModelResponseLimits ResponseLimits { get; set; } = new();

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens the reply becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>; it matters when the server runs with <c>--reasoning-format none</c>.</value>
    public bool SplitThinkTags { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether streaming requests ask for usage (<c>stream_options.include_usage</c>).</summary>
    /// <value>The default is <see langword="true"/>. Without it, usage is still derived from llama.cpp's <c>timings</c>.</value>
    public bool IncludeUsageInStream { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether streamed chat requests are resumable: each carries an <c>X-Conversation-Id</c>, a
    /// connection that breaks mid-stream is reopened where it stopped (<c>GET /v1/stream</c>), and with
    /// <c>ChatOptions.AllowBackgroundResponses</c> every update carries a <c>ContinuationToken</c> a later call can continue from.</summary>
    /// <value>The default is <see langword="true"/>. A server without resumable streams ignores the header; a break then ends the call
    /// with a truncated-stream <see cref="OpenModelProtocolException"/>, as it does when this is <see langword="false"/>.</value>
    public bool ResumableStreams { get; set; } = true;

    /// <summary>Gets or sets whether a router-mode server loads a model a chat request names when it is not loaded (<c>?autoload=</c> on
    /// each request). With <see langword="false"/>, a request for an unloaded model fails (400 "model is not loaded") until
    /// <see cref="LlamaCppServer.LoadModelAsync"/> has loaded it.</summary>
    /// <value>The default is <see langword="null"/>: the server's own setting (<c>--models-autoload</c>, on by default).</value>
    public bool? AutoloadModels { get; set; }

    /// <summary>Gets or sets the time provider used when polling for readiness.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
