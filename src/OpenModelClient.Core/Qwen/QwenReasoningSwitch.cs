using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>
/// Model Studio's switch: a top-level <c>enable_thinking</c>, with the family's budget field (<c>thinking_budget</c>) after it
/// (https://www.alibabacloud.com/help/en/model-studio/deep-thinking).
/// </summary>
internal sealed class QwenReasoningSwitch : ReasoningSwitch
{
    public static QwenReasoningSwitch Instance { get; } = new();

    public override bool Apply(JsonObject body, ReasoningEffort effort, string provider, ILogger logger)
    {
        body["enable_thinking"] = effort != ReasoningEffort.None;
        return true;
    }

    public override bool? ThinkingState(JsonObject body) => WireJson.AsBool(body["enable_thinking"]);
}
