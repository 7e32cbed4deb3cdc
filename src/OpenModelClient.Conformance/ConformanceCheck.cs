namespace OpenModelClient.Conformance;

/// <summary>One capability that <see cref="ConformanceRunner"/> checks against an endpoint.</summary>
public enum ConformanceCheck
{
    /// <summary>A non-streamed chat answer: an assistant message and a finish reason.</summary>
    Chat,

    /// <summary>A streamed chat answer: text in more than one update and a finish reason; also measures time to first token.</summary>
    Streaming,

    /// <summary>Token usage (input and output counts) in a streamed answer.</summary>
    UsageInStream,

    /// <summary>Server-measured timings (prompt and generation durations or rates) in the usage.</summary>
    ServerTimings,

    /// <summary>A tool call in a non-streamed answer with tool choice "required": name, call id and parsed arguments.</summary>
    Tools,

    /// <summary>The same tool call streamed: fragments assembled into one call with parsed arguments.</summary>
    StreamedTools,

    /// <summary>Two or more tool calls in one answer, each with its own call id.</summary>
    ParallelTools,

    /// <summary>Output constrained by a JSON schema: the text parses and matches the schema.</summary>
    JsonSchema,

    /// <summary>Reasoning text returned as <c>TextReasoningContent</c>, apart from the answer.</summary>
    Reasoning,

    /// <summary>Embeddings: one vector per input, all of the same non-zero dimension.</summary>
    Embeddings,

    /// <summary>The model's context length as the endpoint reports it.</summary>
    ContextLength,
}
