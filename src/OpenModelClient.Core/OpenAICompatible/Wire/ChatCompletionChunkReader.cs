using System.Text.Json;
using static OpenModelClient.JsonTokenReads;

namespace OpenModelClient;

/// <summary>
/// Reads one <c>chat.completion.chunk</c> into <see cref="ChatCompletionResponse"/> in a single <see cref="Utf8JsonReader"/> pass,
/// reusing the strings every chunk repeats (id, object, model, fingerprint, role, tool id and name) instead of allocating them again,
/// or, when the chunk is the last one again but for its text, without tokenizing it at all (<see cref="RepeatedShape"/>).
/// </summary>
/// <remarks>
/// The serializer costs about 1 KB and a few microseconds per chunk, mostly its read stack, which is more than the rest of the stream's
/// work together. Only the shapes servers send on every chunk are read here: text, reasoning and tool-call deltas, finish reasons, null
/// logprobs or logprobs objects. Anything else (usage, timings, an error, a number sent as a string, a type the serializer would
/// reject, invalid JSON) makes <see cref="RepeatedShapeReader{TChunk}.TryRead"/> return <see langword="false"/>, and the caller deserializes the event with
/// <see cref="OpenAICompatibleJsonContext"/> as before, so a chunk always comes out as the serializer would build it, errors included.
/// The objects of the first choice, its message and its first tool call are this reader's own: cleared and filled again by a full read,
/// and given only their new text when the chunk repeats the last one's shape. So an everyday chunk allocates only its text: a chunk from <see cref="RepeatedShapeReader{TChunk}.TryRead"/> is valid until the next call, and the engine maps it
/// before it reads on. One instance per stream; not thread-safe.
/// </remarks>
internal sealed class ChatCompletionChunkReader : RepeatedShapeReader<ChatCompletionResponse>
{
    private readonly List<ChatCompletionChoice> _choices = new(1);
    private readonly List<ChatCompletionToolCall> _toolCalls = new(1);
    private ReusableWireObject<ChatCompletionResponse> _chunk;
    private ReusableWireObject<ChatCompletionChoice> _choice;
    private ReusableWireObject<ChatCompletionMessage> _message;
    private ReusableWireObject<ChatCompletionToolCall> _toolCall;
    private ReusableWireObject<ChatCompletionFunctionCall> _function;
    private bool _choicesTaken;
    private bool _toolCallsTaken;

    private RepeatedString _id;
    private RepeatedString _object;
    private RepeatedString _model;
    private RepeatedString _fingerprint;
    private RepeatedString _role;
    private RepeatedString _finishReason;
    private RepeatedString _toolCallId;
    private RepeatedString _toolType;
    private RepeatedString _toolName;

    // What a slot of Shape is (see RepeatedShape.NoteSlot): the text members of a message or a function call.
    private enum Slot
    {
        Content,
        ReasoningContent,
        Reasoning,
        Refusal,
        Arguments,
    }

    protected override bool TryReadMember(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ChatCompletionResponse result)
    {
        bool ok = true;
        if (name.SequenceEqual("choices"u8))
        {
            reader.Read();
            ok = TryReadChoices(ref reader, out var choices);
            result.Choices = choices;
        }
        else if (name.SequenceEqual("id"u8))
        {
            ok = TryReadString(ref reader, ref _id, out var id);
            result.Id = id;
        }
        else if (name.SequenceEqual("object"u8))
        {
            ok = TryReadString(ref reader, ref _object, out var type);
            result.Object = type;
        }
        else if (name.SequenceEqual("created"u8))
        {
            ok = TryReadInt64(ref reader, out var created);
            result.Created = created;
        }
        else if (name.SequenceEqual("model"u8))
        {
            ok = TryReadString(ref reader, ref _model, out var model);
            result.Model = model;
        }
        else if (name.SequenceEqual("system_fingerprint"u8))
        {
            ok = TryReadString(ref reader, ref _fingerprint, out var fingerprint);
            result.SystemFingerprint = fingerprint;
        }
        else if (name.SequenceEqual("usage"u8) || name.SequenceEqual("timings"u8))
        {
            // Sent as null on every chunk by some servers; a value comes once, at the end, and goes through the serializer.
            reader.Read();
            ok = reader.TokenType == JsonTokenType.Null;
        }
        else if (name.SequenceEqual("error"u8) || name.SequenceEqual("message"u8))
        {
            ok = false;
        }
        else
        {
            reader.Read();
            reader.Skip();
        }

        return ok;
    }

    protected override void FillSlots(ReadOnlySpan<byte> json, ChatCompletionResponse chunk)
    {
        for (int i = 0; i < Shape.SlotCount; i++)
        {
            string text = Shape.GetString(json, i);
            var target = Shape.TargetOf(i);
            switch ((Slot)Shape.KindOf(i))
            {
                case Slot.Content:
                    ((ChatCompletionMessage)target!).Content = text;
                    break;
                case Slot.ReasoningContent:
                    ((ChatCompletionMessage)target!).ReasoningContent = text;
                    break;
                case Slot.Reasoning:
                    ((ChatCompletionMessage)target!).Reasoning = text;
                    break;
                case Slot.Refusal:
                    ((ChatCompletionMessage)target!).Refusal = text;
                    break;
                default:
                    ((ChatCompletionFunctionCall)target!).Arguments = text;
                    break;
            }
        }
    }

    private bool TryReadChoices(ref Utf8JsonReader reader, out List<ChatCompletionChoice>? choices)
    {
        choices = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        choices = TakeChoices();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !TryReadChoice(ref reader, out var choice))
            {
                return false;
            }

            choices.Add(choice);
        }

        return true;
    }

    private bool TryReadChoice(ref Utf8JsonReader reader, out ChatCompletionChoice choice)
    {
        choice = _choice.Take();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryGetPlainName(ref reader, out var name))
            {
                return false;
            }

            if (name.SequenceEqual("delta"u8))
            {
                if (!TryReadMessage(ref reader, out var delta))
                {
                    return false;
                }

                choice.Delta = delta;
            }
            else if (name.SequenceEqual("index"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int index))
                {
                    return false;
                }

                choice.Index = index;
            }
            else if (name.SequenceEqual("finish_reason"u8))
            {
                if (!TryReadString(ref reader, ref _finishReason, out var finishReason))
                {
                    return false;
                }

                choice.FinishReason = finishReason;
            }
            else if (name.SequenceEqual("logprobs"u8))
            {
                reader.Read();
                choice.Logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            }
            else if (name.SequenceEqual("message"u8))
            {
                if (!TryReadMessage(ref reader, out var message))
                {
                    return false;
                }

                choice.Message = message;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return true;
    }

    private bool TryReadMessage(ref Utf8JsonReader reader, out ChatCompletionMessage? message)
    {
        message = null;
        if (!TryStartObject(ref reader, out bool isNull) || isNull)
        {
            return isNull; // null is a valid absent object; any other token is not
        }

        var result = _message.Take();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryGetPlainName(ref reader, out var name))
            {
                return false;
            }

            bool ok;
            if (name.SequenceEqual("content"u8))
            {
                ok = TryReadText(ref reader, out var content);
                Shape.NoteSlot(ref reader, (int)Slot.Content, result);
                result.Content = content;
            }
            else if (name.SequenceEqual("reasoning_content"u8))
            {
                ok = TryReadText(ref reader, out var reasoning);
                Shape.NoteSlot(ref reader, (int)Slot.ReasoningContent, result);
                result.ReasoningContent = reasoning;
            }
            else if (name.SequenceEqual("role"u8))
            {
                ok = TryReadString(ref reader, ref _role, out var role);
                result.Role = role;
            }
            else if (name.SequenceEqual("tool_calls"u8))
            {
                ok = TryReadToolCalls(ref reader, out var toolCalls);
                result.ToolCalls = toolCalls;
            }
            else if (name.SequenceEqual("reasoning"u8))
            {
                ok = TryReadText(ref reader, out var reasoning);
                Shape.NoteSlot(ref reader, (int)Slot.Reasoning, result);
                result.Reasoning = reasoning;
            }
            else if (name.SequenceEqual("refusal"u8))
            {
                ok = TryReadText(ref reader, out var refusal);
                Shape.NoteSlot(ref reader, (int)Slot.Refusal, result);
                result.Refusal = refusal;
            }
            else
            {
                reader.Read();
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        message = result;
        return true;
    }

    private bool TryReadToolCalls(ref Utf8JsonReader reader, out List<ChatCompletionToolCall>? toolCalls)
    {
        reader.Read();
        toolCalls = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        toolCalls = TakeToolCalls();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !TryReadToolCall(ref reader, out var call))
            {
                return false;
            }

            toolCalls.Add(call);
        }

        return true;
    }

    private bool TryReadToolCall(ref Utf8JsonReader reader, out ChatCompletionToolCall call)
    {
        call = _toolCall.Take();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryGetPlainName(ref reader, out var name))
            {
                return false;
            }

            bool ok = true;
            if (name.SequenceEqual("function"u8))
            {
                ok = TryReadFunction(ref reader, out var function);
                call.Function = function;
            }
            else if (name.SequenceEqual("index"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    call.Index = null;
                }
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index))
                {
                    call.Index = index;
                }
                else
                {
                    ok = false;
                }
            }
            else if (name.SequenceEqual("id"u8))
            {
                ok = TryReadString(ref reader, ref _toolCallId, out var id);
                call.Id = id;
            }
            else if (name.SequenceEqual("type"u8))
            {
                ok = TryReadString(ref reader, ref _toolType, out var type);
                call.Type = type;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryReadFunction(ref Utf8JsonReader reader, out ChatCompletionFunctionCall? function)
    {
        function = null;
        if (!TryStartObject(ref reader, out bool isNull) || isNull)
        {
            return isNull; // null is a valid absent object; any other token is not
        }

        var result = _function.Take();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryGetPlainName(ref reader, out var name))
            {
                return false;
            }

            bool ok;
            if (name.SequenceEqual("arguments"u8))
            {
                // A JSON object instead of a string is kept as raw text by StringOrRawJsonConverter: the serializer's job.
                ok = TryReadText(ref reader, out var arguments);
                Shape.NoteSlot(ref reader, (int)Slot.Arguments, result);
                result.Arguments = arguments;
            }
            else if (name.SequenceEqual("name"u8))
            {
                ok = TryReadString(ref reader, ref _toolName, out var functionName);
                result.Name = functionName;
            }
            else
            {
                reader.Read();
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        function = result;
        return true;
    }
    protected override ChatCompletionResponse StartChunk()
    {
        _choicesTaken = _toolCallsTaken = false;
        _choice.Release();
        _message.Release();
        _toolCall.Release();
        _function.Release();
        _chunk.Release();
        return _chunk.Take();
    }

    // The two lists are the reader's own the first time in a chunk, cleared; a repeated key gets a new one.
    private List<ChatCompletionChoice> TakeChoices()
    {
        if (_choicesTaken)
        {
            return new(1);
        }

        _choicesTaken = true;
        _choices.Clear();
        return _choices;
    }

    private List<ChatCompletionToolCall> TakeToolCalls()
    {
        if (_toolCallsTaken)
        {
            return new(1);
        }

        _toolCallsTaken = true;
        _toolCalls.Clear();
        return _toolCalls;
    }
}
