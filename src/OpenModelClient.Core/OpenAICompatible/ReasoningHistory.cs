namespace OpenModelClient;

/// <summary>Which earlier reasoning goes back to the server in assistant messages of the history.</summary>
/// <remarks>Reasoning another provider produced is never sent, whatever the rule (see <see cref="ReasoningProvenance"/>).</remarks>
internal enum ReasoningHistory
{
    /// <summary>Never send reasoning back (R1-era DeepSeek rejected it with 400).</summary>
    Strip,

    /// <summary>Send the reasoning of every assistant message that has some (llama.cpp, vLLM, SGLang, LM Studio, Ollama <c>/v1</c>, Qwen with <c>preserve_thinking</c>).</summary>
    Echo,

    /// <summary>
    /// Send reasoning only for assistant messages after the last user message: the tool-call turn still in progress
    /// (Qwen; what Qwen3 chat templates keep, and what a thinking-mode tool loop needs).
    /// </summary>
    EchoInToolCallTurn,

    /// <summary>
    /// In thinking mode, send every assistant message's own reasoning, back-filling <c>""</c> only on messages that have none (DeepSeek
    /// V4 answers 400 when a replayed assistant message lacks <c>reasoning_content</c>, and rejects <c>""</c> where reasoning was produced);
    /// with thinking explicitly off, send only the reasoning that tool-call turns have. See https://api-docs.deepseek.com/guides/thinking_mode.
    /// </summary>
    BackfillEveryAssistantTurn,
}
