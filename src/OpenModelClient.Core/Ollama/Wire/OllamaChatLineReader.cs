using System.Text.Json;
using static OpenModelClient.JsonTokenReads;

namespace OpenModelClient;

/// <summary>
/// Reads one <c>/api/chat</c> NDJSON line into <see cref="OllamaChatResponse"/> in a single <see cref="Utf8JsonReader"/> pass, reusing
/// the strings every line repeats (model, role, done reason).
/// </summary>
/// <remarks>
/// The same bargain as <see cref="ChatCompletionChunkReader"/>: the serializer's read stack costs more per line than the rest of the
/// work. Only text and thinking lines and the final <c>done</c> line are read here; tool calls, errors, a type the serializer would
/// reject or invalid JSON make <see cref="TryRead"/> return <see langword="false"/>, and the line goes through
/// <see cref="OllamaJsonContext"/> as before. The line and message objects are this reader's own, cleared and filled again on every call,
/// so an everyday line allocates only its text: a line from <see cref="TryRead"/> is valid until the next call, and the client maps it
/// before it reads on. One instance per stream; not thread-safe.
/// </remarks>
internal sealed class OllamaChatLineReader
{
    private ReusableWireObject<OllamaChatResponse> _line;
    private ReusableWireObject<OllamaMessage> _message;

    private RepeatedString _model;
    private RepeatedString _role;
    private RepeatedString _doneReason;
    private RepeatedTimestamp _createdAt;

    /// <summary>Reads <paramref name="json"/> if it has the usual shape.</summary>
    /// <returns><see langword="false"/> when the line must go through the serializer instead.</returns>
    public bool TryRead(ReadOnlySpan<byte> json, out OllamaChatResponse? line)
    {
        line = null;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var result = StartLine();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!TryGetPlainName(ref reader, out var name))
                {
                    return false;
                }

                bool ok = true;
                if (name.SequenceEqual("message"u8))
                {
                    ok = TryReadMessage(ref reader, out var message);
                    result.Message = message;
                }
                else if (name.SequenceEqual("model"u8))
                {
                    ok = TryReadString(ref reader, ref _model, out var model);
                    result.Model = model;
                }
                else if (name.SequenceEqual("created_at"u8))
                {
                    reader.Read();
                    result.CreatedAt = _createdAt.Read(ref reader);
                }
                else if (name.SequenceEqual("done"u8))
                {
                    reader.Read();
                    ok = reader.TokenType is JsonTokenType.True or JsonTokenType.False;
                    result.Done = reader.TokenType == JsonTokenType.True;
                }
                else if (name.SequenceEqual("done_reason"u8))
                {
                    ok = TryReadString(ref reader, ref _doneReason, out var doneReason);
                    result.DoneReason = doneReason;
                }
                else if (name.SequenceEqual("total_duration"u8))
                {
                    ok = TryReadInt64(ref reader, out var value);
                    result.TotalDuration = value;
                }
                else if (name.SequenceEqual("load_duration"u8))
                {
                    ok = TryReadInt64(ref reader, out var value);
                    result.LoadDuration = value;
                }
                else if (name.SequenceEqual("prompt_eval_count"u8))
                {
                    ok = TryReadInt64(ref reader, out var value);
                    result.PromptEvalCount = value;
                }
                else if (name.SequenceEqual("prompt_eval_duration"u8))
                {
                    ok = TryReadInt64(ref reader, out var value);
                    result.PromptEvalDuration = value;
                }
                else if (name.SequenceEqual("eval_count"u8))
                {
                    ok = TryReadInt64(ref reader, out var value);
                    result.EvalCount = value;
                }
                else if (name.SequenceEqual("eval_duration"u8))
                {
                    ok = TryReadInt64(ref reader, out var value);
                    result.EvalDuration = value;
                }
                else if (name.SequenceEqual("logprobs"u8))
                {
                    reader.Read();
                    result.Logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
                }
                else if (name.SequenceEqual("error"u8))
                {
                    ok = false;
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

            // The serializer rejects anything after the object; so does the reader, by throwing.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            line = result;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
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
    private OllamaChatResponse StartLine()
    {
        _message.Release();
        _line.Release();
        return _line.Take();
    }
}
