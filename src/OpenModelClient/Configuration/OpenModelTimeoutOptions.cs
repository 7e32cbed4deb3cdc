namespace OpenModelClient;

/// <summary>Time limits fitted to LLM traffic, under the section's <c>Timeouts</c> key; each unset value takes the provider kind's default.</summary>
/// <remarks>
/// Defaults — local providers (LlamaCpp, Ollama, OpenAICompatible): Connect 10 s, FirstChunk 10 min (covers a cold model load),
/// Idle 2 min, Total infinite. Hosted (DeepSeek, Qwen): Connect 10 s, FirstChunk 2 min, Idle 1 min, Total 30 min.
/// A long generation is never cut while chunks keep arriving; a dead server is detected by Connect, a stalled one by Idle.
/// A chunk is a complete SSE event or a complete line: bytes that complete none (a server trickling) reset neither clock.
/// Every value must lie between 10 ms and one day, or be <c>Infinite</c> (FirstChunk, Idle, Total); this is checked at start-up.
/// </remarks>
public sealed class OpenModelTimeoutOptions
{
    /// <summary>Gets or sets how long establishing a connection may take.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan? Connect { get; set; }

    /// <summary>Gets or sets how long the server may take to send the response headers and the first complete chunk, including a cold model load.</summary>
    /// <value>The default is 10 minutes for local providers and 2 minutes for hosted ones.</value>
    public TimeSpan? FirstChunk { get; set; }

    /// <summary>Gets or sets the longest gap allowed between two complete chunks of a response body.</summary>
    /// <value>The default is 2 minutes for local providers and 1 minute for hosted ones.</value>
    public TimeSpan? Idle { get; set; }

    /// <summary>Gets or sets the limit on a whole call, retries included; <c>Infinite</c> in configuration (or <see cref="Timeout.InfiniteTimeSpan"/>) for none.</summary>
    /// <value>The default is infinite for local providers and 30 minutes for hosted ones.</value>
    public TimeSpan? Total { get; set; }
}
