using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The streaming half of the engine: per-response state across SSE chunks.</summary>
internal sealed partial class OpenAICompatibleChatEngine
{
    /// <summary>Per-response streaming state: ids, tool-call assembly, think-tag splitting, usage.</summary>
    private sealed class StreamState(bool splitThinkTags, bool thinkBlockInPrompt, bool hideReasoning, string provider)
    {
        private readonly Dictionary<int, ChoiceState> _choices = [];
        private ChoiceState? _firstChoice;
        private ServerTimings? _pendingTimings;
        private bool _usageEmitted;
        private string? _model;
        private DateTimeOffset? _created;

        public string? ResponseId { get; private set; }

        public bool SawDone { get; set; }

        public bool SawFinishReason { get; private set; }

        /// <summary>The common case without a list: a chunk with one choice and no usage yields at most one update.</summary>
        /// <returns><see langword="false"/> when the chunk needs <see cref="Process"/>.</returns>
        public bool TryProcessSingleChoice(ChatCompletionResponse chunk, out ChatResponseUpdate? update)
        {
            if (chunk.Usage is not null || chunk.Choices is not { Count: 1 } choices)
            {
                update = null;
                return false;
            }

            Begin(chunk);
            update = ProcessChoice(choices[0]);
            if (chunk.Timings is not null)
            {
                _pendingTimings = chunk.Timings;
            }

            return true;
        }

        public List<ChatResponseUpdate> Process(ChatCompletionResponse chunk)
        {
            Begin(chunk);

            // Built completely before anything is yielded: a consumer (ToChatResponseAsync, the function-invocation loop) reads an
            // update's contents as soon as it gets it, so usage riding on a finish chunk (DeepSeek, older llama.cpp) must be in it already.
            List<ChatResponseUpdate> updates = [];
            if (chunk.Choices is { Count: > 0 } choices)
            {
                foreach (var choice in choices)
                {
                    if (ProcessChoice(choice) is { } update)
                    {
                        updates.Add(update);
                    }
                }
            }

            if (chunk.Usage is not null)
            {
                var usage = OpenAICompatibleResponseMapper.ToUsage(chunk.Usage, chunk.Timings ?? _pendingTimings)!;
                _usageEmitted = true;
                _pendingTimings = null;
                if (updates.Count > 0)
                {
                    updates[^1].Contents.Add(new UsageContent(usage));
                }
                else
                {
                    updates.Add(NewUpdate(0, [new UsageContent(usage)]));
                }
            }
            else if (chunk.Timings is not null)
            {
                _pendingTimings = chunk.Timings;
            }

            return updates;
        }

        private void Begin(ChatCompletionResponse chunk)
        {
            ResponseId ??= chunk.Id;
            _model = chunk.Model ?? _model;
            _created ??= OpenAICompatibleResponseMapper.ToCreatedAt(chunk.Created);
        }

        private ChatResponseUpdate? ProcessChoice(ChatCompletionChoice choice)
        {
            ChoiceState? state = choice.Index == 0 ? _firstChoice : null; // nearly every stream has only choice 0: no lookup per chunk
            if (state is null && !_choices.TryGetValue(choice.Index, out state))
            {
                state = new ChoiceState(splitThinkTags ? new ThinkTagSplitter(thinkBlockInPrompt) : null);
                _choices.Add(choice.Index, state);
                if (choice.Index == 0)
                {
                    _firstChoice = state;
                }
            }

            var contents = new List<AIContent>(1); // almost always one text or reasoning piece
            var delta = choice.Delta ?? choice.Message;
            if (delta is not null)
            {
                if (OpenAICompatibleResponseMapper.AddReasoning(delta, contents))
                {
                    state.Splitter?.ServerSeparatedReasoning();
                    if (hideReasoning)
                    {
                        contents.Clear();
                    }
                }

                if (!string.IsNullOrEmpty(delta.Content))
                {
                    if (state.Splitter is { } splitter)
                    {
                        splitter.Process(delta.Content, contents);
                        if (hideReasoning)
                        {
                            contents.RemoveAll(c => c is TextReasoningContent);
                        }
                    }
                    else
                    {
                        contents.Add(new TextContent(delta.Content));
                    }
                }

                if (delta.ToolCalls is { } toolCalls)
                {
                    for (int i = 0; i < toolCalls.Count; i++)
                    {
                        state.ToolCalls.Add(toolCalls[i], i);
                    }
                }
            }

            var finishReason = ChatContentMapping.ToFinishReason(choice.FinishReason);
            if (finishReason is not null)
            {
                SawFinishReason = true;
                FinishChoice(state, contents);
            }

            if (contents.Count == 0 && finishReason is null && choice.Logprobs is not { ValueKind: JsonValueKind.Object })
            {
                return null;
            }

            ReasoningProvenance.Tag(contents, provider);

            var update = NewUpdate(choice.Index, contents);
            update.FinishReason = finishReason;
            if (choice.Logprobs is { ValueKind: JsonValueKind.Object } logprobs)
            {
                update.AdditionalProperties = new() { [LogprobsExtensions.RawKey] = logprobs };
            }

            return update;
        }

        /// <summary>Called once the stream has ended properly: flushes held-back text and calls, and usage derived from timings.</summary>
        public ChatResponseUpdate? Complete()
        {
            List<AIContent> contents = [];
            foreach (var state in _choices.Values)
            {
                FinishChoice(state, contents);
            }

            if (!_usageEmitted && _pendingTimings is not null)
            {
                contents.Add(new UsageContent(OpenAICompatibleResponseMapper.ToUsage(null, _pendingTimings)!));
            }

            // [DONE] after chunks none of which named a finish reason: the server finished normally without saying why, which is a stop.
            var finishReason = SawDone && !SawFinishReason ? ChatFinishReason.Stop : (ChatFinishReason?)null;
            if (contents.Count == 0 && finishReason is null)
            {
                return null;
            }

            ReasoningProvenance.Tag(contents, provider);
            return new ChatResponseUpdate(ChatRole.Assistant, contents)
            {
                ResponseId = ResponseId,
                MessageId = ResponseId,
                ModelId = _model,
                CreatedAt = _created,
                FinishReason = finishReason,
            };
        }

        private void FinishChoice(ChoiceState state, List<AIContent> contents)
        {
            state.Splitter?.Flush(contents);
            if (hideReasoning)
            {
                contents.RemoveAll(c => c is TextReasoningContent);
            }

            if (state.ToolCalls.HasCalls)
            {
                state.ToolCalls.Drain(contents, provider);
            }
        }

        // No RawRepresentation: the chunk is the reader's reusable object (see ChatCompletionChunkReader), of an internal type callers
        // could not use anyway; what the library reads from it is mapped onto the update.
        private ChatResponseUpdate NewUpdate(int choiceIndex, List<AIContent> contents) =>
            new(ChatRole.Assistant, contents)
            {
                ResponseId = ResponseId,
                MessageId = choiceIndex == 0 ? ResponseId : $"{ResponseId}:{choiceIndex}",
                ModelId = _model,
                CreatedAt = _created,
            };

        private sealed class ChoiceState(ThinkTagSplitter? splitter)
        {
            public ThinkTagSplitter? Splitter { get; } = splitter;

            public StreamingToolCallAssembler ToolCalls { get; } = new();
        }
    }
}
