using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>
/// How a model family turns thinking on or off on the wire: a small strategy that the engine calls. The switches that
/// template-driven servers share are here; a provider's own switch lives in its folder and is handed over in its dialect
/// (<see cref="DeepSeekReasoningSwitch"/>, <see cref="QwenReasoningSwitch"/>). The table per provider is in docs/reasoning.md.
/// </summary>
internal abstract class ReasoningSwitch
{
    /// <summary>Gets the switch that sends nothing: the server has no per-request switch. A requested effort is dropped with a logged warning.</summary>
    public static ReasoningSwitch None { get; } = new NoSwitch();

    /// <summary>Gets <c>chat_template_kwargs.enable_thinking</c> (llama.cpp, vLLM, SGLang with Qwen3-style templates).</summary>
    public static ReasoningSwitch ChatTemplateKwargs { get; } = new TemplateKwarg("enable_thinking");

    /// <summary>Gets <c>chat_template_kwargs.thinking</c> (DeepSeek-V3.x and Granite templates on vLLM, SGLang, llama.cpp).</summary>
    public static ReasoningSwitch ChatTemplateKwargsThinking { get; } = new TemplateKwarg("thinking");

    /// <summary>Gets <c>reasoning_effort</c> <c>low|medium|high</c> (Ollama's <c>/v1</c>, which answers 500 to <c>none</c>).</summary>
    public static ReasoningSwitch ReasoningEffortLevels { get; } = new EffortLevels();

    /// <summary>Writes the switch for <paramref name="effort"/> into <paramref name="body"/>.</summary>
    /// <returns><see langword="true"/> when the family's thinking-budget field applies as well; switches with levels of their own return <see langword="false"/>.</returns>
    public abstract bool Apply(JsonObject body, ReasoningEffort effort, string provider, ILogger logger);

    /// <summary>Reads whether the final body switches thinking on or off, whichever source set the field; <see langword="null"/> when it says nothing.</summary>
    public abstract bool? ThinkingState(JsonObject body);

    private sealed class NoSwitch : ReasoningSwitch
    {
        public override bool Apply(JsonObject body, ReasoningEffort effort, string provider, ILogger logger)
        {
            OpenAICompatibleLog.ReasoningEffortNotSent(logger, provider, effort.ToString());
            return false;
        }

        public override bool? ThinkingState(JsonObject body) => null;
    }

    private sealed class TemplateKwarg(string name) : ReasoningSwitch
    {
        public override bool Apply(JsonObject body, ReasoningEffort effort, string provider, ILogger logger)
        {
            WireJson.Merge(body, "chat_template_kwargs", new JsonObject { [name] = effort != ReasoningEffort.None });
            return true;
        }

        public override bool? ThinkingState(JsonObject body) => WireJson.AsBool(body["chat_template_kwargs"] is JsonObject kwargs ? kwargs[name] : null);
    }

    private sealed class EffortLevels : ReasoningSwitch
    {
        public override bool Apply(JsonObject body, ReasoningEffort effort, string provider, ILogger logger)
        {
            // Only low|medium|high are known; "none", "minimal" or "xhigh" get a 500, so they are never sent.
            if (effort == ReasoningEffort.None)
            {
                OpenAICompatibleLog.ReasoningCannotBeSwitchedOff(logger, provider);
                return false;
            }

            body["reasoning_effort"] = effort switch
            {
                ReasoningEffort.Low => "low",
                ReasoningEffort.Medium => "medium",
                _ => "high",
            };
            return false;
        }

        public override bool? ThinkingState(JsonObject body) => WireJson.AsString(body["reasoning_effort"]) is { } level ? level != "none" : null;
    }
}
