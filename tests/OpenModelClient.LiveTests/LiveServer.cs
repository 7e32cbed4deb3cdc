namespace OpenModelClient.LiveTests;

/// <summary>The server configurations the live suite starts (once each, shared by every test).</summary>
public enum LiveServer
{
    /// <summary>Chat, streaming, tools, JSON schema, usage and timings: Qwen2.5 template, 4 slots, metrics and slots endpoints.</summary>
    Chat,

    /// <summary>Reasoning: the Qwen3.5 template (its generation prompt opens a think block) with <c>--reasoning-format deepseek</c>.</summary>
    Reasoning,

    /// <summary>Embeddings with mean pooling.</summary>
    Embeddings,

    /// <summary>A chat server that demands an API key.</summary>
    Authenticated,

    /// <summary>A 256-token context with one slot, for context overflow.</summary>
    SmallContext,

    /// <summary>A router (no <c>-m</c>; one model named <c>tiny</c> in its models folder), which rejects a model it does not have.</summary>
    Router,
}
