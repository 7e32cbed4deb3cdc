using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>The OpenAI-compatible engine's log messages. None of them carries message content or credentials.</summary>
internal static partial class OpenAICompatibleLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Provider} model '{Model}' does not accept a JSON schema (response_format json_schema); the request asks for json_object and carries the schema in its instructions instead.")]
    public static partial void JsonSchemaInInstructions(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Provider} has no per-request thinking switch; ChatOptions.Reasoning.Effort '{Effort}' was not sent.")]
    public static partial void ReasoningEffortNotSent(ILogger logger, string provider, string effort);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Provider} does not accept '{Field}'; the value from ChatOptions was not sent.")]
    public static partial void UnsupportedFieldDropped(ILogger logger, string provider, string field);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Provider} model '{Model}' is retired; use '{Replacement}' instead.")]
    public static partial void RetiredModel(ILogger logger, string provider, string model, string replacement);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "{Provider} takes only reasoning_effort low, medium or high and fails on \"none\"; ReasoningEffort.None was not sent, so the model's default applies. OllamaChatClient (think: false) can switch thinking off.")]
    public static partial void ReasoningCannotBeSwitchedOff(ILogger logger, string provider);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "{Provider} model '{Model}' thinks only on streamed requests; the request is streamed and aggregated.")]
    public static partial void StreamingForThinking(ILogger logger, string provider, string model);
}
