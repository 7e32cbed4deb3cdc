using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Per-response streaming state: think-tag splitting across lines, tool calls seen (for the finish reason), and the end marker.</summary>
internal sealed class OllamaChatStreamState(string responseId, bool splitThinkTags, bool hideReasoning)
{
    private readonly ThinkTagSplitter? _splitter = splitThinkTags ? new ThinkTagSplitter() : null;
    private bool _sawToolCalls;
    private int _toolCallOrdinal;
    private AdditionalPropertiesDictionary? _firstUpdateProperties;
    private bool _yieldedAny;

    public bool SawDone { get; private set; }

    /// <summary>Sets properties (e.g. a think-level fallback) to put on the first update this response yields.</summary>
    public void AddToFirstUpdate(string key, object value) => (_firstUpdateProperties ??= [])[key] = value;

    /// <summary>Maps one NDJSON line; <see langword="null"/> when it carries nothing the caller can see.</summary>
    public ChatResponseUpdate? Process(OllamaChatResponse chunk)
    {
        var contents = new List<AIContent>(1); // almost always one text or thinking piece
        if (chunk.Message is { } message)
        {
            if (!hideReasoning && !string.IsNullOrEmpty(message.Thinking))
            {
                contents.Add(new TextReasoningContent(message.Thinking));
            }

            if (!string.IsNullOrEmpty(message.Content))
            {
                if (_splitter is not null)
                {
                    _splitter.Process(message.Content, contents);
                }
                else
                {
                    contents.Add(new TextContent(message.Content));
                }
            }

            _sawToolCalls |= OllamaResponseMapper.AddToolCalls(message.ToolCalls, contents, ref _toolCallOrdinal);
        }

        ChatFinishReason? finishReason = null;
        if (chunk.Done)
        {
            SawDone = true;
            _splitter?.Flush(contents);
            finishReason = OllamaResponseMapper.ToFinishReason(chunk.DoneReason, _sawToolCalls);
            if (OllamaResponseMapper.ToUsage(chunk.PromptEvalCount, chunk.EvalCount, chunk.TotalDuration, chunk.LoadDuration, chunk.PromptEvalDuration, chunk.EvalDuration) is { } usage)
            {
                contents.Add(new UsageContent(usage));
            }
        }

        if (hideReasoning)
        {
            contents.RemoveAll(c => c is TextReasoningContent);
        }

        ReasoningProvenance.Tag(contents, ProviderNames.Ollama);
        bool hasLogprobs = chunk.Logprobs is { ValueKind: JsonValueKind.Array };
        if (contents.Count == 0 && finishReason is null && !hasLogprobs && (_yieldedAny || _firstUpdateProperties is null))
        {
            return null;
        }

        // No RawRepresentation: the line is the reader's reusable object (see OllamaChatLineReader), of an internal type callers could
        // not use anyway; what the library reads from it is mapped onto the update.
        var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = chunk.Model,
            CreatedAt = chunk.CreatedAt,
            FinishReason = finishReason,
        };

        if (!_yieldedAny && _firstUpdateProperties is not null)
        {
            update.AdditionalProperties = _firstUpdateProperties;
        }

        if (hasLogprobs)
        {
            (update.AdditionalProperties ??= [])[LogprobsExtensions.RawKey] = chunk.Logprobs!.Value;
        }

        _yieldedAny = true;
        return update;
    }
}
