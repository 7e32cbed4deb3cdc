using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Counts what the guards did, on the library's meter (<c>OpenModelClient</c>, the same name as <c>OpenModelTelemetry.SourceName</c>).</summary>
/// <remarks>
/// <c>openmodel.guard.actions</c> tagged <c>openmodel.guard</c> (<c>answer_room</c>, <c>json_schema</c>, <c>tool_call_repair</c>,
/// <c>truncated_tool_call</c>), <c>openmodel.guard.action</c> (what it did) and <c>gen_ai.provider.name</c>. No content, ever.
/// </remarks>
internal static class GuardMetrics
{
    public const string MeterName = "OpenModelClient";

    public const string AnswerRoom = "answer_room";
    public const string JsonSchema = "json_schema";
    public const string ToolCallRepair = "tool_call_repair";
    public const string TruncatedToolCall = "truncated_tool_call";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Actions = Meter.CreateCounter<long>(
        "openmodel.guard.actions", "{action}", "What the OpenModelClient guards did: budgets clamped, replies rejected or retried, tool calls repaired.");

    /// <summary>The provider name the guards report, from the inner client's metadata.</summary>
    public static string ProviderOf(IChatClient inner) => inner.GetService<ChatClientMetadata>()?.ProviderName ?? "unknown";

    public static void Record(string guard, string action, string? provider)
    {
        if (Actions.Enabled)
        {
            Actions.Add(1, new TagList { { "openmodel.guard", guard }, { "openmodel.guard.action", action }, { "gen_ai.provider.name", provider } });
        }
    }
}
