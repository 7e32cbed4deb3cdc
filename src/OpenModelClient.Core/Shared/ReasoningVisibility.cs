using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>
/// <c>ChatOptions.Reasoning.Output = None</c>: the caller gets no reasoning content, while the request is unchanged (the model still
/// thinks if it would). Every client reads the rule here and drops reasoning as it maps the reply.
/// </summary>
internal static class ReasoningVisibility
{
    public static bool IsHidden(ChatOptions? options) => options?.Reasoning?.Output == ReasoningOutput.None;
}
