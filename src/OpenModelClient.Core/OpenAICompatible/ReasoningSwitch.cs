namespace OpenModelClient;

/// <summary>The wire switch a model family uses to turn thinking on or off; the table per provider is in docs/reasoning.md.</summary>
internal enum ReasoningSwitch
{
    /// <summary>Send nothing: the server has no per-request switch. A requested effort is dropped with a logged warning.</summary>
    None,

    /// <summary><c>chat_template_kwargs.enable_thinking</c> (llama.cpp, vLLM, SGLang with Qwen3-style templates).</summary>
    ChatTemplateKwargs,

    /// <summary><c>chat_template_kwargs.thinking</c> (DeepSeek-V3.x and Granite templates on vLLM, SGLang, llama.cpp).</summary>
    ChatTemplateKwargsThinking,

    /// <summary>Top-level <c>enable_thinking</c> plus a budget field (Qwen on Model Studio).</summary>
    EnableThinking,

    /// <summary><c>thinking: {"type": "enabled"|"disabled"}</c> plus <c>reasoning_effort</c> <c>low|high|max</c> (DeepSeek V4).</summary>
    DeepSeekThinking,

    /// <summary><c>reasoning_effort</c> <c>none|low|medium|high</c> (Ollama's <c>/v1</c>).</summary>
    ReasoningEffortLevels,
}
