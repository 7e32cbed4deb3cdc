using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>The guards' log messages. None carries message content, arguments or credentials.</summary>
internal static partial class GuardLog
{
    public static ILogger For<T>(ILoggerFactory? loggerFactory) => (ILogger?)loggerFactory?.CreateLogger<T>() ?? NullLogger.Instance;

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Provider}: thinking budget clamped to {Budget} tokens so that {AnswerTokens} of the {MaxOutputTokens} output tokens stay for the answer.")]
    public static partial void BudgetClamped(ILogger logger, string? provider, int budget, int answerTokens, int maxOutputTokens);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Provider}: the reply is reasoning only, cut at the output limit ({MaxOutputTokens}); {Action}.")]
    public static partial void ReasoningExhausted(ILogger logger, string? provider, int? maxOutputTokens, string action);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Provider}: the output limit ({MaxOutputTokens}) cut off a call to '{Tool}'; {Action}.")]
    public static partial void ToolCallTruncated(ILogger logger, string? provider, int? maxOutputTokens, string tool, string action);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "{Provider}: repaired a call to '{Tool}' ({Repairs}).")]
    public static partial void ToolCallRepaired(ILogger logger, string? provider, string tool, string repairs);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{Provider}: a call to '{Tool}' cannot be used ({Problem}); the model is told what was wrong.")]
    public static partial void ToolCallRejected(ILogger logger, string? provider, string tool, string problem);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "{Provider}: the reply does not conform to the requested JSON schema: {Violation}.")]
    public static partial void SchemaViolated(ILogger logger, string? provider, string violation);
}
