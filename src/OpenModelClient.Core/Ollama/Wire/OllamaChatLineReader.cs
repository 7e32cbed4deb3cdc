using System.Text.Json;
using static OpenModelClient.JsonTokenReads;

namespace OpenModelClient;

/// <summary>
/// Reads one <c>/api/chat</c> NDJSON line into <see cref="OllamaChatResponse"/> in a single <see cref="Utf8JsonReader"/> pass, reusing
/// the strings every line repeats (model, role, done reason), or, when the line is the last one again but for <c>created_at</c> and
/// the text, without tokenizing it at all (<see cref="RepeatedShape"/>).
/// </summary>
/// <remarks>
/// The same bargain as <see cref="ChatCompletionChunkReader"/>: the serializer's read stack costs more per line than the rest of the
/// work. Only text and thinking lines and the final <c>done</c> line are read here; tool calls, errors, a type the serializer would
/// reject or invalid JSON make <see cref="RepeatedShapeReader{TChunk}.TryRead"/> return <see langword="false"/>, and the line goes through
/// <see cref="OllamaJsonContext"/> as before. The line and message objects are this reader's own: cleared and filled again by a full
/// read, and given only their new timestamp and text when the line repeats the last one's shape. So an everyday line allocates only its
/// text: a line from <see cref="RepeatedShapeReader{TChunk}.TryRead"/> is valid until the next call, and the client maps it before it reads on. One instance per
/// stream; not thread-safe.
/// </remarks>
internal sealed class OllamaChatLineReader : RepeatedShapeReader<OllamaChatResponse>
{
    // What a slot of Shape is (see RepeatedShape.NoteSlot).
    private const int CreatedAtSlot = 0;
    private const int ContentSlot = 1;
    private const int ThinkingSlot = 2;

    private ReusableWireObject<OllamaChatResponse> _line;
    private ReusableWireObject<OllamaMessage> _message;

    private RepeatedString _model;
    private RepeatedString _role;
    private RepeatedString _doneReason;
    private RepeatedTimestamp _createdAt;

    protected override bool TryReadMember(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, OllamaChatResponse result)
    {
        if (name.SequenceEqual("message"u8))
        {
            bool ok = TryReadMessage(ref reader, out var message);
            result.Message = message;
            return ok;
        }

        if (name.SequenceEqual("created_at"u8))
        {
            reader.Read();
            Shape.NoteSlot(ref reader, CreatedAtSlot, null);
            result.CreatedAt = _createdAt.Read(ref reader);
            return true;
        }

        if (name.SequenceEqual("model"u8))
        {
            bool ok = TryReadString(ref reader, ref _model, out var model);
            result.Model = model;
            return ok;
        }

        if (name.SequenceEqual("done"u8))
        {
            reader.Read();
            result.Done = reader.TokenType == JsonTokenType.True;
            return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
        }

        if (name.SequenceEqual("done_reason"u8))
        {
            bool ok = TryReadString(ref reader, ref _doneReason, out var doneReason);
            result.DoneReason = doneReason;
            return ok;
        }

        if (name.SequenceEqual("logprobs"u8))
        {
            reader.Read();
            result.Logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            return true;
        }

        if (name.SequenceEqual("error"u8))
        {
            return false;
        }

        long? number;
        bool read;
        if (name.SequenceEqual("total_duration"u8))
        {
            read = TryReadInt64(ref reader, out number);
            result.TotalDuration = number;
        }
        else if (name.SequenceEqual("load_duration"u8))
        {
            read = TryReadInt64(ref reader, out number);
            result.LoadDuration = number;
        }
        else if (name.SequenceEqual("prompt_eval_count"u8))
        {
            read = TryReadInt64(ref reader, out number);
            result.PromptEvalCount = number;
        }
        else if (name.SequenceEqual("prompt_eval_duration"u8))
        {
            read = TryReadInt64(ref reader, out number);
            result.PromptEvalDuration = number;
        }
        else if (name.SequenceEqual("eval_count"u8))
        {
            read = TryReadInt64(ref reader, out number);
            result.EvalCount = number;
        }
        else if (name.SequenceEqual("eval_duration"u8))
        {
            read = TryReadInt64(ref reader, out number);
            result.EvalDuration = number;
        }
        else
        {
            reader.Read();
            reader.Skip();
            read = true;
        }

        return read;
    }

    private bool TryReadMessage(ref Utf8JsonReader reader, out OllamaMessage? message)
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
                Shape.NoteSlot(ref reader, ContentSlot, result);
                result.Content = content;
            }
            else if (name.SequenceEqual("role"u8))
            {
                ok = TryReadString(ref reader, ref _role, out var role);
                result.Role = role;
            }
            else if (name.SequenceEqual("thinking"u8))
            {
                ok = TryReadText(ref reader, out var thinking);
                Shape.NoteSlot(ref reader, ThinkingSlot, result);
                result.Thinking = thinking;
            }
            else if (name.SequenceEqual("tool_calls"u8))
            {
                // Whole calls with object arguments: rare, and the serializer's job.
                reader.Read();
                ok = reader.TokenType == JsonTokenType.Null;
                result.ToolCalls = null;
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

    protected override void FillSlots(ReadOnlySpan<byte> json, OllamaChatResponse line)
    {
        for (int i = 0; i < Shape.SlotCount; i++)
        {
            switch (Shape.KindOf(i))
            {
                case CreatedAtSlot:
                    if (Shape.GetRawValue(json, i, out var text) && _createdAt.TryReadRepeated(text, out var createdAt))
                    {
                        line.CreatedAt = createdAt;
                    }
                    else
                    {
                        var reader = Shape.GetReader(json, i);
                        line.CreatedAt = _createdAt.Read(ref reader);
                    }

                    break;
                case ContentSlot:
                    ((OllamaMessage)Shape.TargetOf(i)!).Content = Shape.GetString(json, i);
                    break;
                default:
                    ((OllamaMessage)Shape.TargetOf(i)!).Thinking = Shape.GetString(json, i);
                    break;
            }
        }
    }

    protected override OllamaChatResponse StartChunk()
    {
        _message.Release();
        _line.Release();
        return _line.Take();
    }
}
