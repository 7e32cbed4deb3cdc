namespace OpenModelClient;

/// <summary>Known OpenAI-compatible servers, each a set of defaults for <see cref="OpenAICompatibleClientOptions"/>: address, provider name, reasoning fields and switches.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Preset</term><description>Defaults</description></listheader>
/// <item><term><see cref="Generic"/></term><description>No default address; <c>openai-compatible</c>; thinking via <c>chat_template_kwargs.enable_thinking</c>; reasoning echoed as <c>reasoning_content</c>.</description></item>
/// <item><term><see cref="Vllm"/></term><description><c>http://localhost:8000/v1</c>; <c>vllm</c>; <c>chat_template_kwargs.enable_thinking</c> (<c>thinking</c> for DeepSeek and Granite models); reasoning echoed as <c>reasoning</c>.</description></item>
/// <item><term><see cref="SGLang"/></term><description><c>http://localhost:30000/v1</c>; <c>sglang</c>; <c>chat_template_kwargs.enable_thinking</c> (<c>thinking</c> for DeepSeek models); reasoning echoed as <c>reasoning_content</c>.</description></item>
/// <item><term><see cref="LMStudio"/></term><description><c>http://localhost:1234/v1</c>; <c>lmstudio</c>; no thinking switch (an effort is dropped with a warning); reasoning echoed as <c>reasoning_content</c>.</description></item>
/// <item><term><see cref="Ollama"/></term><description><c>http://localhost:11434/v1</c>; <c>ollama</c>; <c>reasoning_effort</c> <c>none|low|medium|high</c>; reasoning echoed as <c>reasoning</c>.</description></item>
/// </list>
/// Every preset asks for usage in streams (<c>stream_options.include_usage</c>); turn that off with
/// <see cref="OpenAICompatibleClientOptions.IncludeUsageInStream"/> for servers that reject the field. DeepSeek and Granite models are
/// recognised by their id containing <c>deepseek</c> or <c>granite</c>.
/// </remarks>
public enum OpenAICompatiblePreset
{
    /// <summary>Any OpenAI-compatible server; the endpoint must be given.</summary>
    Generic,

    /// <summary>vLLM (<c>vllm serve</c>), default <c>http://localhost:8000/v1</c>.</summary>
    Vllm,

    /// <summary>SGLang (<c>sglang.launch_server</c>), default <c>http://localhost:30000/v1</c>.</summary>
    SGLang,

    /// <summary>LM Studio's server, default <c>http://localhost:1234/v1</c>.</summary>
    LMStudio,

    /// <summary>Ollama's OpenAI-compatible layer, default <c>http://localhost:11434/v1</c>. Prefer <c>OllamaChatClient</c> for the native API.</summary>
    /// <remarks>
    /// This layer forces <c>temperature</c> and <c>top_p</c> to 1.0 when a request omits them, overriding the Modelfile's defaults, and
    /// ignores <c>tool_choice</c>: set <c>ChatOptions.Temperature</c> and <c>TopP</c> explicitly, or use <c>OllamaChatClient</c>.
    /// </remarks>
    Ollama,
}
