using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>The capability guard's log messages. None of them carries message content or credentials.</summary>
internal static partial class CapabilityGuardLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Model '{Model}' does not support tools ({Source}); {Count} tool(s) were not sent.")]
    public static partial void ToolsDropped(ILogger logger, string model, string source, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Model '{Model}' does not support image input ({Source}); {Count} image(s) were not sent.")]
    public static partial void ImagesDropped(ILogger logger, string model, string source, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Model '{Model}' does not think ({Source}); the reasoning settings were not sent.")]
    public static partial void ReasoningDropped(ILogger logger, string model, string source);
}
