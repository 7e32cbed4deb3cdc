using System.Text.Json;

namespace OpenModelClient;

/// <summary>
/// One chunk's pass over its top-level members on behalf of a <see cref="RepeatedEnvelope{TFields}"/>: starts the reader (after the
/// remembered prefix when the chunk repeats it), notes where the prefix ends and the suffix starts, and records both when the chunk
/// had to be read in full. The reader keeps only the part that is its own: which members vary, and what the others mean.
/// </summary>
/// <typeparam name="TFields">What the reader reads from the envelope.</typeparam>
internal ref struct EnvelopeScan<TFields>
    where TFields : struct, IEquatable<TFields>
{
    private readonly ref RepeatedEnvelope<TFields> _envelope;
    private readonly int _offset;
    private bool _recordPrefix;
    private long _boundary;
    private JsonReaderState _boundaryState;
    private int _suffixAt;
    private JsonTokenType _suffixAfter;
    private TFields _suffixStart;

    private EnvelopeScan(ref RepeatedEnvelope<TFields> envelope, int offset, bool recordPrefix)
    {
        _envelope = ref envelope;
        _offset = offset;
        _recordPrefix = recordPrefix;
        _suffixAt = -1;
    }

    /// <summary>Starts reading <paramref name="json"/>: after the remembered prefix when it repeats it, from its opening brace otherwise.</summary>
    /// <returns><see langword="false"/> when <paramref name="json"/> does not start an object.</returns>
    public static bool TryStart(ref RepeatedEnvelope<TFields> envelope, ReadOnlySpan<byte> json, out Utf8JsonReader reader, out TFields fields, out EnvelopeScan<TFields> scan)
    {
        bool resumed = envelope.TryResume(json, out int offset, out fields);
        reader = resumed ? new Utf8JsonReader(json[offset..], isFinalBlock: true, envelope.PrefixState) : new Utf8JsonReader(json);
        scan = new EnvelopeScan<TFields>(ref envelope, offset, recordPrefix: !resumed && envelope.RecordsPrefix);
        return resumed || (reader.Read() && reader.TokenType == JsonTokenType.StartObject);
    }

    /// <summary>Call before reading each top-level member's name: while no varying member has come, this is where the prefix may end.</summary>
    public void BeforeMember(ref Utf8JsonReader reader)
    {
        if (_recordPrefix)
        {
            _boundary = reader.BytesConsumed;
            _boundaryState = reader.CurrentState;
        }
    }

    /// <summary>Call after each varying member's value.</summary>
    /// <returns><see langword="true"/> when the rest of <paramref name="json"/> is the remembered suffix: <paramref name="fields"/> are then complete and the chunk is read.</returns>
    public bool AfterVaryingMember(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, ref TFields fields)
    {
        if (_recordPrefix)
        {
            // The bytes before this member; what it read itself is not part of them, so the fields are still the prefix's.
            _envelope.RememberPrefix(json, (int)_boundary, _boundaryState, fields);
            _recordPrefix = false;
        }

        int end = _offset + (int)reader.BytesConsumed;
        if (_envelope.TryTakeSuffix(json[end..], reader.TokenType, ref fields))
        {
            return true;
        }

        (_suffixAt, _suffixAfter, _suffixStart) = (end, reader.TokenType, fields);
        return false;
    }

    /// <summary>Call once the object has been read to its end and accepted: records what came after the last varying member.</summary>
    public readonly void Finish(ReadOnlySpan<byte> json, in TFields fields)
    {
        if (_suffixAt >= 0 && _envelope.RecordsSuffix)
        {
            _envelope.RememberSuffix(json[_suffixAt..], _suffixAfter, _suffixStart, fields);
        }
    }
}
