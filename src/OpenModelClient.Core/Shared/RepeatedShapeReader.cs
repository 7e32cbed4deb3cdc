using System.Text.Json;
using static OpenModelClient.JsonTokenReads;

namespace OpenModelClient;

/// <summary>
/// The pass a one-pass stream reader makes over each chunk (an SSE event's data, an NDJSON line): a chunk that is the last one again
/// but for its slots gets only those set on the last result (<see cref="RepeatedShape"/>); any other is read member by member by the
/// derived reader and, when accepted, becomes the template. What a member means is the derived reader's; this keeps the invariants
/// of the skip in one place.
/// </summary>
/// <remarks>
/// <see cref="TryRead"/> returns <see langword="false"/> for what the reader does not take (rare shapes, invalid JSON, a string that
/// <see cref="Utf8JsonReader.GetString"/> cannot give), and the caller hands the chunk to the serializer, whose error it then is. A
/// chunk from <see cref="TryRead"/> is the reader's own object, valid until the next call. One instance per stream; not thread-safe.
/// </remarks>
/// <typeparam name="TChunk">The wire object a chunk is read into.</typeparam>
internal abstract class RepeatedShapeReader<TChunk>
    where TChunk : class
{
    private RepeatedShape _shape;
    private TChunk? _last;

    /// <summary>Gets how many chunks so far were the last chunk again but for their slots, and how many were not (for tests and diagnostics).</summary>
    internal (int Hits, int Misses) ShapeHits => (_shape.Hits, _shape.Misses);

    /// <summary>Gets the template, for the derived reader to note slots during a full read and to read them in <see cref="FillSlots"/>.</summary>
    protected ref RepeatedShape Shape => ref _shape;

    /// <summary>Reads <paramref name="json"/> if it has the usual shape.</summary>
    /// <returns><see langword="false"/> when the chunk must go through the serializer instead.</returns>
    public bool TryRead(ReadOnlySpan<byte> json, out TChunk? chunk)
    {
        chunk = null;
        try
        {
            if (_last is not null && _shape.TryMatch(json))
            {
                FillSlots(json, _last);
                chunk = _last;
                return true;
            }

            // The full read refills the objects the last result lives in: from here it is no template until recorded again.
            _last = null;
            _shape.StartFullRead();
            var result = StartChunk();
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!TryGetPlainName(ref reader, out var name) || !TryReadMember(ref reader, name, result))
                {
                    return false;
                }
            }

            // The serializer rejects anything after the object; so does the reader, by throwing.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            _shape.Record(json);
            _last = chunk = result;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Invalid JSON, or a string GetString cannot give (invalid UTF-8, a lone surrogate): the serializer's error to report.
            _last = null;
            return false;
        }
    }

    /// <summary>Clears the reader's own objects for a full read and returns the chunk to fill.</summary>
    protected abstract TChunk StartChunk();

    /// <summary>Reads the value of the top-level member <paramref name="name"/> into <paramref name="chunk"/>, noting its varying strings as slots.</summary>
    /// <returns><see langword="false"/> when the chunk must go through the serializer instead.</returns>
    protected abstract bool TryReadMember(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, TChunk chunk);

    /// <summary>Sets the strings of <paramref name="json"/>'s slots on <paramref name="chunk"/>, the last result: what a full read of it would give.</summary>
    protected abstract void FillSlots(ReadOnlySpan<byte> json, TChunk chunk);
}
