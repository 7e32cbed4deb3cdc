using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>
/// DeepSeek V4's switch: <c>thinking: {"type": "enabled"|"disabled"}</c> plus <c>reasoning_effort</c> <c>low|high|max</c>
/// (https://api-docs.deepseek.com/guides/thinking_mode). DeepSeek maps medium to high itself, so it is sent as high.
/// </summary>
internal sealed class DeepSeekReasoningSwitch : ReasoningSwitch
{
    public static DeepSeekReasoningSwitch Instance { get; } = new();

    public override bool Apply(JsonObject body, ReasoningEffort effort, string provider, ILogger logger)
    {
        bool enabled = effort != ReasoningEffort.None;
        body["thinking"] = new JsonObject { ["type"] = enabled ? "enabled" : "disabled" };
        if (enabled)
        {
            body["reasoning_effort"] = effort switch
            {
                ReasoningEffort.Low => "low",
                ReasoningEffort.ExtraHigh => "max",
                _ => "high",
            };
        }

        return false;
    }

    public override bool? ThinkingState(JsonObject body) => WireJson.AsString(body["thinking"] is JsonObject thinking ? thinking["type"] : null) switch
    {
        "enabled" => true,
        "disabled" => false,
        _ => null,
    };
}
