using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace OpenModelClient;

/// <summary>
/// Lets a one-pass stream reader skip tokenizing a chunk that is the last chunk again except inside the strings that vary (text,
/// reasoning, tool-call arguments, a timestamp): the chunk is compared with the last one read in full, byte for byte outside those
/// strings, and only the strings are scanned.
/// </summary>
/// <remarks>
/// <para>
/// A stream's chunks are one template filled in again and again: llama.cpp, vLLM and DeepSeek repeat the id, model, fingerprint,
/// choice index and finish reason around each <c>delta.content</c>; Ollama repeats everything but <c>created_at</c> and the text. The
/// reader reads a chunk in full and marks the strings that vary as slots (<see cref="NoteSlot"/>); when that read succeeds the chunk
/// becomes the template (<see cref="Record"/>). The next chunk matches it (<see cref="TryMatch"/>) when every byte outside the slots
/// is the same and every slot is a complete, valid JSON string: no raw control character, valid UTF-8, escapes the reader accepts.
/// </para>
/// <para>
/// Exact by construction: the template was fully read and accepted, and swapping one valid string for another changes no token but
/// that string, so the chunk reads to the same objects with only the slots' values changed; the reader keeps its last result and sets
/// just those. Anything else (a new member, a number that changed, a null where a string was, a string that ends early) is a miss:
/// a full read, which records the new template. Templates longer than <see cref="MaxBytes"/> or with more than
/// <see cref="MaxSlots"/> slots are not recorded, and a stream that misses on every chunk records only now and then, so it pays
/// almost nothing for a mechanism it cannot use. One instance per stream, inside its reader; not thread-safe.
/// </para>
/// </remarks>
internal struct RepeatedShape
{
    /// <summary>The longest chunk kept as a template: far above any text chunk.</summary>
    public const int MaxBytes = 2048;

    /// <summary>The most slots a template may have.</summary>
    public const int MaxSlots = 8;

    private const int MissesBeforeBackingOff = 8;
    private const int RecordEveryNthChunkWhenBackingOff = 32;

    // Where a string's content may end: its closing quote, an escape, or a raw control character (which JSON forbids).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private byte[]? _template;
    private int _length;        // 0 when no template is recorded
    private Slot[]? _slots;
    private int _slotCount;     // the template's slots, or those noted so far by the full read under way
    private bool _slotsOverflowed;
    private SlotValue[]? _values;
    private int _missesInARow;
    private int _recordsSkipped;

    /// <summary>Gets how many chunks matched the template (for tests and diagnostics).</summary>
    public int Hits { readonly get; private set; }

    /// <summary>Gets how many chunks were compared with a template and did not match it.</summary>
    public int Misses { readonly get; private set; }

    /// <summary>Gets the number of slots of the matched template.</summary>
    public readonly int SlotCount => _slotCount;

    /// <summary>Gets what the reader said slot <paramref name="index"/> is when it noted it.</summary>
    public readonly int KindOf(int index) => _slots![index].Kind;

    /// <summary>Gets the object the reader said slot <paramref name="index"/> belongs to when it noted it.</summary>
    public readonly object? TargetOf(int index) => _slots![index].Target;

    /// <summary>Compares <paramref name="json"/> with the template; on a match, each slot's string in it is given by <see cref="GetString"/> and <see cref="GetRawValue"/>.</summary>
    public bool TryMatch(ReadOnlySpan<byte> json)
    {
        if (_length == 0)
        {
            return false;
        }

        if (Matches(json))
        {
            Hits++;
            _missesInARow = 0;
            _recordsSkipped = 0;
            return true;
        }

        Misses++;
        _missesInARow++;
        return false;
    }

    /// <summary>Call before a full read: the reader is about to refill the objects the template's result lives in.</summary>
    public void StartFullRead()
    {
        _length = 0;
        _slotCount = 0;
        _slotsOverflowed = false;
    }

    /// <summary>
    /// During a full read, marks the string token <paramref name="reader"/> is on as a slot: a value that may differ in the next chunk
    /// without making it a different shape. <paramref name="kind"/> and <paramref name="target"/> are the reader's, to know what to set.
    /// </summary>
    public void NoteSlot(ref readonly Utf8JsonReader reader, int kind, object? target)
    {
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence)
        {
            return; // a null or another token stays part of the template, so a string there next time is a miss
        }

        if (_slotCount == MaxSlots)
        {
            _slotsOverflowed = true;
            return;
        }

        _slots ??= new Slot[MaxSlots];
        _slots[_slotCount++] = new Slot((int)reader.TokenStartIndex + 1, (int)reader.BytesConsumed - 1, kind, target);
    }

    /// <summary>Call when a full read of <paramref name="json"/> succeeded: it becomes the template, with the slots noted during the read.</summary>
    public void Record(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes || _slotsOverflowed)
        {
            return;
        }

        // After many misses in a row, only every so many chunks become the template, so that a stream whose shape keeps changing pays
        // for few copies; one of them matching the next chunk ends the back-off.
        if (_missesInARow >= MissesBeforeBackingOff && ++_recordsSkipped % RecordEveryNthChunkWhenBackingOff != 0)
        {
            return;
        }

        if (_template is null || _template.Length < json.Length)
        {
            _template = new byte[Math.Max(json.Length, 256)];
        }

        json.CopyTo(_template);
        _values ??= new SlotValue[MaxSlots];
        _length = json.Length;
    }

    /// <summary>The string in slot <paramref name="index"/> of the matched chunk <paramref name="json"/>, unescaped as <see cref="Utf8JsonReader.GetString"/> would.</summary>
    public readonly string GetString(ReadOnlySpan<byte> json, int index)
    {
        var value = _values![index];
        if (!value.Escaped)
        {
            return Encoding.UTF8.GetString(json.Slice(value.Start, value.Length)); // validated by TryMatch
        }

        var reader = ReaderOn(json, value);
        return reader.GetString()!;
    }

    /// <summary>The raw UTF-8 between the quotes of slot <paramref name="index"/>, or <see langword="false"/> when it has escapes (then use <see cref="GetReader"/>).</summary>
    public readonly bool GetRawValue(ReadOnlySpan<byte> json, int index, out ReadOnlySpan<byte> value)
    {
        var slot = _values![index];
        value = slot.Escaped ? default : json.Slice(slot.Start, slot.Length);
        return !slot.Escaped;
    }

    /// <summary>A reader on slot <paramref name="index"/>'s string token, for values that need one (escaped text, a timestamp to parse).</summary>
    public readonly Utf8JsonReader GetReader(ReadOnlySpan<byte> json, int index) => ReaderOn(json, _values![index]);

    private static Utf8JsonReader ReaderOn(ReadOnlySpan<byte> json, SlotValue value)
    {
        var reader = new Utf8JsonReader(json.Slice(value.Start - 1, value.Length + 2));
        reader.Read();
        return reader;
    }

    private readonly bool Matches(ReadOnlySpan<byte> json)
    {
        var template = _template.AsSpan(0, _length);
        var slots = _slots.AsSpan(0, _slotCount);
        var values = _values.AsSpan(0, _slotCount);
        int at = 0;         // in json
        int templateAt = 0; // in the template
        for (int i = 0; i < slots.Length; i++)
        {
            // The bytes from the end of the last slot to this one's opening quote, inclusive.
            int literal = slots[i].Start - templateAt;
            if (json.Length - at < literal || !json.Slice(at, literal).SequenceEqual(template.Slice(templateAt, literal)))
            {
                return false;
            }

            at += literal;
            if (!TryScanString(json, at, out int end, out bool escaped))
            {
                return false;
            }

            values[i] = new SlotValue(at, end - at, escaped);
            at = end;
            templateAt = slots[i].End;
        }

        return json[at..].SequenceEqual(template[templateAt..]);
    }

    /// <summary>Finds the closing quote of the string whose content starts at <paramref name="start"/>, checking it as the reader would.</summary>
    private static bool TryScanString(ReadOnlySpan<byte> json, int start, out int end, out bool escaped)
    {
        escaped = false;
        int stop = json[start..].IndexOfAny(StringStops);
        end = start + stop;
        if (stop < 0 || json[end] != (byte)'"')
        {
            if (stop < 0 || json[end] != (byte)'\\')
            {
                return false; // cut short, or a raw control character
            }

            // An escape: the reader finds the end and checks every escape. Rare enough not to scan by hand.
            escaped = true;
            try
            {
                var reader = new Utf8JsonReader(json[(start - 1)..]);
                reader.Read();
                end = start - 1 + (int)reader.BytesConsumed - 1;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        // GetString would throw on invalid UTF-8; a full read then throws as it always has.
        return Utf8.IsValid(json[start..end]);
    }

    private readonly record struct Slot(int Start, int End, int Kind, object? Target);

    private readonly record struct SlotValue(int Start, int Length, bool Escaped);
}
