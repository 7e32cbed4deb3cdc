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

    private RepeatedEnvelope<Envelope> _envelope = new();
    private RepeatedString _model;
    private RepeatedString _role;
    private RepeatedString _doneReason;
    private RepeatedTimestamp _createdAt;

    /// <summary>Gets how many chunks so far skipped their repeated prefix and suffix (for tests and diagnostics).</summary>
    internal (int Prefixes, int Suffixes) EnvelopeHits => (_envelope.PrefixHits, _envelope.SuffixHits);

    /// <summary>Reads <paramref name="json"/> if it has the usual shape.</summary>
    /// <returns><see langword="false"/> when the line must go through the serializer instead.</returns>
    public bool TryRead(ReadOnlySpan<byte> json, out OllamaChatResponse? line)
    {
        line = null;
        try
        {
            var result = StartLine();

            // Everything around "created_at" and "message" (the model before, "done": false after) is usually the last line's bytes again.
            if (!EnvelopeScan<Envelope>.TryStart(ref _envelope, json, out var reader, out var fields, out var scan))
            {
                return false;
            }

            while (true)
            {
                scan.BeforeMember(ref reader);

                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                {
                    break;
                }

                if (!TryGetPlainName(ref reader, out var name))
                {
                    return false;
                }

                // The members that change on every line; the rest is the envelope.
                bool varies = true;
                bool ok = true;
                if (name.SequenceEqual("message"u8))
                {
                    ok = TryReadMessage(ref reader, out var message);
                    result.Message = message;
                }
                else if (name.SequenceEqual("created_at"u8))
                {
                    reader.Read();
                    result.CreatedAt = _createdAt.Read(ref reader);
                }
                else if (name.SequenceEqual("logprobs"u8))
                {
                    reader.Read();
                    result.Logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
                }
                else
                {
                    varies = false;
                    if (name.SequenceEqual("model"u8))
                    {
                        ok = TryReadString(ref reader, ref _model, out fields.Model);
                    }
                    else if (name.SequenceEqual("done"u8))
                    {
                        reader.Read();
                        ok = reader.TokenType is JsonTokenType.True or JsonTokenType.False;
                        fields.Done = reader.TokenType == JsonTokenType.True;
                    }
                    else if (name.SequenceEqual("done_reason"u8))
                    {
                        ok = TryReadString(ref reader, ref _doneReason, out fields.DoneReason);
                    }
                    else if (name.SequenceEqual("total_duration"u8))
                    {
                        ok = TryReadInt64(ref reader, out fields.TotalDuration);
                    }
                    else if (name.SequenceEqual("load_duration"u8))
                    {
                        ok = TryReadInt64(ref reader, out fields.LoadDuration);
                    }
                    else if (name.SequenceEqual("prompt_eval_count"u8))
                    {
                        ok = TryReadInt64(ref reader, out fields.PromptEvalCount);
                    }
                    else if (name.SequenceEqual("prompt_eval_duration"u8))
                    {
                        ok = TryReadInt64(ref reader, out fields.PromptEvalDuration);
                    }
                    else if (name.SequenceEqual("eval_count"u8))
                    {
                        ok = TryReadInt64(ref reader, out fields.EvalCount);
                    }
                    else if (name.SequenceEqual("eval_duration"u8))
                    {
                        ok = TryReadInt64(ref reader, out fields.EvalDuration);
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
                }

                if (!ok)
                {
                    return false;
                }

                if (varies && scan.AfterVaryingMember(json, ref reader, ref fields))
                {
                    line = Finish(result, fields);
                    return true;
                }
            }

            // The serializer rejects anything after the object; so does the reader, by throwing.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            scan.Finish(json, fields);
            line = Finish(result, fields);
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

    private static OllamaChatResponse Finish(OllamaChatResponse result, in Envelope fields)
    {
        result.Model = fields.Model;
        result.Done = fields.Done;
        result.DoneReason = fields.DoneReason;
        result.TotalDuration = fields.TotalDuration;
        result.LoadDuration = fields.LoadDuration;
        result.PromptEvalCount = fields.PromptEvalCount;
        result.PromptEvalDuration = fields.PromptEvalDuration;
        result.EvalCount = fields.EvalCount;
        result.EvalDuration = fields.EvalDuration;
        return result;
    }

    /// <summary>The line's members other than "created_at", "message" and "logprobs": what <see cref="RepeatedEnvelope{TFields}"/> keeps between lines.</summary>
    private struct Envelope : IEquatable<Envelope>
    {
        public string? Model;
        public bool Done;
        public string? DoneReason;
        public long? TotalDuration;
        public long? LoadDuration;
        public long? PromptEvalCount;
        public long? PromptEvalDuration;
        public long? EvalCount;
        public long? EvalDuration;

        public readonly bool Equals(Envelope other) =>
            Done == other.Done
            && TotalDuration == other.TotalDuration
            && LoadDuration == other.LoadDuration
            && PromptEvalCount == other.PromptEvalCount
            && PromptEvalDuration == other.PromptEvalDuration
            && EvalCount == other.EvalCount
            && EvalDuration == other.EvalDuration
            && string.Equals(Model, other.Model, StringComparison.Ordinal)
            && string.Equals(DoneReason, other.DoneReason, StringComparison.Ordinal);

        public override readonly bool Equals(object? obj) => obj is Envelope other && Equals(other);

        public override readonly int GetHashCode() => HashCode.Combine(Model, Done, EvalCount);
    }
}
