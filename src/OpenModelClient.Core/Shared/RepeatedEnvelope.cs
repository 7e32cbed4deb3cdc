using System.Text.Json;

namespace OpenModelClient;

/// <summary>
/// Lets a one-pass reader skip the part of a streamed JSON object that repeats byte for byte from one chunk to the next (a stream's id,
/// model, fingerprint, timestamp, choice index): the bytes before the first member that varies (the prefix) and after the last one (the
/// suffix) are compared with the last chunk's, and the fields read from them then are taken again instead of tokenizing them again.
/// </summary>
/// <remarks>
/// <para>
/// Sound because reading is deterministic: the same bytes read from the same reader state give the same tokens and the same fields, and
/// those bytes were fully validated when they were first read. The prefix is compared up to and including the byte after its last
/// value (a number is only complete once a delimiter follows) and reading resumes from the <see cref="JsonReaderState"/> it had there.
/// The suffix is compared to the end of the object, and taken only when the fields and the token before it are the same as when it was
/// recorded. Any difference means a full read, which records the new envelope. Everything in the varying members is read every time.
/// </para>
/// <para>
/// Kept small: envelopes longer than <see cref="MaxBytes"/> are not recorded, and a stream whose envelope changes on every chunk stops
/// recording after a few misses in a row, so it pays for nothing it cannot use. One instance per stream, inside its reader, which
/// drives it through an <see cref="EnvelopeScan{TFields}"/> per chunk.
/// </para>
/// </remarks>
/// <typeparam name="TFields">What the reader reads from the envelope; compared by value.</typeparam>
internal struct RepeatedEnvelope<TFields>
    where TFields : struct, IEquatable<TFields>
{
    /// <summary>The longest prefix or suffix kept: far above any chunk's envelope.</summary>
    public const int MaxBytes = 1024;

    private const int MaxMissesInARow = 8;

    private byte[]? _prefix;          // the prefix and the byte after it
    private int _prefixLength;        // bytes compared, that byte included; 0 when none is recorded
    private JsonReaderState _prefixState;
    private TFields _prefixFields;
    private int _prefixMisses;

    private byte[]? _suffix;
    private int _suffixLength = -1;   // -1 when none is recorded
    private JsonTokenType _suffixAfter;
    private TFields _suffixStart;
    private TFields _suffixEnd;
    private int _suffixMisses;

    public RepeatedEnvelope()
    {
    }

    /// <summary>Gets how many chunks resumed after the recorded prefix (for tests and diagnostics).</summary>
    public int PrefixHits { readonly get; private set; }

    /// <summary>Gets how many chunks took the recorded suffix.</summary>
    public int SuffixHits { readonly get; private set; }

    /// <summary>Gets a value indicating whether the reader should record a prefix when it could not resume from one.</summary>
    public readonly bool RecordsPrefix => _prefixMisses < MaxMissesInARow;

    /// <summary>Gets a value indicating whether the reader should record the suffix when it could not take it.</summary>
    public readonly bool RecordsSuffix => _suffixMisses < MaxMissesInARow;

    /// <summary>Gets the reader state after the recorded prefix, to resume from when <see cref="TryResume"/> matched.</summary>
    public readonly JsonReaderState PrefixState => _prefixState;

    /// <summary>
    /// When <paramref name="json"/> starts with the recorded prefix, where to resume reading it (a <see cref="Utf8JsonReader"/> over
    /// <c>json[offset..]</c> in <see cref="PrefixState"/>) and what was read from the prefix.
    /// </summary>
    /// <param name="json">The whole object.</param>
    /// <param name="offset">On success, where the resumed reader's input starts: add it to that reader's positions.</param>
    /// <param name="fields">On success, what was read from the prefix.</param>
    public bool TryResume(ReadOnlySpan<byte> json, out int offset, out TFields fields)
    {
        int length = _prefixLength;
        if (length > 0 && json.Length >= length && json[..length].SequenceEqual(_prefix.AsSpan(0, length)))
        {
            _prefixMisses = 0;
            PrefixHits++;
            offset = length - 1; // the delimiter after the last value is read again, by the resumed reader
            fields = _prefixFields;
            return true;
        }

        offset = 0;
        fields = default;
        return false;
    }

    /// <summary>Records the prefix of a chunk read in full: <paramref name="end"/> bytes, after which the reader was in <paramref name="state"/> with <paramref name="fields"/> read.</summary>
    public void RememberPrefix(ReadOnlySpan<byte> json, int end, in JsonReaderState state, in TFields fields)
    {
        if (_prefixLength > 0)
        {
            _prefixMisses++; // a recorded prefix did not match this chunk
        }

        // A prefix of only the opening brace saves nothing; the byte after the prefix must exist to be compared.
        int length = end + 1;
        if (end <= 1 || length > json.Length || length > MaxBytes || !RecordsPrefix)
        {
            _prefixLength = 0;
            return;
        }

        json[..length].CopyTo(Room(ref _prefix, length));
        _prefixLength = length;
        _prefixState = state;
        _prefixFields = fields;
    }

    /// <summary>
    /// When <paramref name="rest"/> (everything after a varying member's value, whose last token was <paramref name="after"/>) is the recorded
    /// suffix and <paramref name="fields"/> are what they were when it was recorded, sets <paramref name="fields"/> to what reading it gave.
    /// </summary>
    public bool TryTakeSuffix(ReadOnlySpan<byte> rest, JsonTokenType after, ref TFields fields)
    {
        if (rest.Length != _suffixLength || after != _suffixAfter || !fields.Equals(_suffixStart) || !rest.SequenceEqual(_suffix.AsSpan(0, _suffixLength)))
        {
            return false;
        }

        _suffixMisses = 0;
        SuffixHits++;
        fields = _suffixEnd;
        return true;
    }

    /// <summary>Records the suffix of a chunk read in full to its end: it followed a token of type <paramref name="after"/> and turned <paramref name="start"/> into <paramref name="end"/>.</summary>
    public void RememberSuffix(ReadOnlySpan<byte> rest, JsonTokenType after, in TFields start, in TFields end)
    {
        if (_suffixLength >= 0)
        {
            _suffixMisses++;
        }

        if (rest.Length > MaxBytes || !RecordsSuffix)
        {
            _suffixLength = -1;
            return;
        }

        rest.CopyTo(Room(ref _suffix, rest.Length));
        _suffixLength = rest.Length;
        _suffixAfter = after;
        _suffixStart = start;
        _suffixEnd = end;
    }

    private static byte[] Room(ref byte[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, 256)];
        }

        return buffer;
    }
}
