namespace OpenModelClient.Tests.Middleware.Guards;

internal static class GuardMetricsNames
{
    public const string ToolCallRepair = "tool_call_repair";
    public const string TruncatedToolCall = "truncated_tool_call";
    public const string AnswerRoom = "answer_room";
}
