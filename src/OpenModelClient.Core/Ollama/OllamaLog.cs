using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>The Ollama adapter's log messages. None of them carries message content or credentials.</summary>
internal static partial class OllamaLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Ollama rejected think level '{Level}' for model '{Model}'; the request was sent again with think=true.")]
    public static partial void ThinkLevelRejected(ILogger logger, string model, string level);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Ollama has no tool_choice: {ToolMode} cannot be enforced, the model decides whether to call a tool.")]
    public static partial void ToolModeNotEnforced(ILogger logger, string toolMode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Ollama model '{Model}' is missing; pulling it because PullIfMissing is on.")]
    public static partial void PullingMissingModel(ILogger logger, string model);
}
