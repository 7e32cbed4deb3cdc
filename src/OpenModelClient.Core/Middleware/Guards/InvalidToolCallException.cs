namespace OpenModelClient;

/// <summary>The model kept making a tool call that could neither be repaired nor corrected after being told what was wrong.</summary>
/// <remarks>Raised by <see cref="ToolCallRepairChatClient"/> once its correction rounds are spent.</remarks>
public sealed class InvalidToolCallException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidToolCallException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="toolName">The tool name as the model wrote it.</param>
    /// <param name="problem">What is wrong with the call.</param>
    /// <param name="requestId">The response id, if any.</param>
    public InvalidToolCallException(string provider, string toolName, string problem, string? requestId = null)
        : base(OpenModelErrorKind.InvalidToolCall, provider, null, $"'{toolName}': {problem}", "invalid_tool_call", requestId)
    {
        ToolName = toolName ?? string.Empty;
        Problem = problem ?? string.Empty;
    }

    /// <summary>Gets the tool name as the model wrote it.</summary>
    public string ToolName { get; }

    /// <summary>Gets what is wrong with the call.</summary>
    public string Problem { get; }
}
