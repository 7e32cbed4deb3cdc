using System.Text.Json;

namespace OpenModelClient;

/// <summary>
/// The <c>created_at</c> of consecutive NDJSON lines: the same second, a different fraction. The date, time and offset are parsed
/// once per second; within it only the fraction's digits are read, as <see cref="OllamaTimestampConverter"/> would (seven kept, the
/// rest dropped).
/// </summary>
internal struct RepeatedTimestamp
{
    private const int FractionDigits = 7; // a tick is 10^-7 s

    private byte[]? _head;     // everything up to and including the '.', e.g. 2025-06-01T12:00:00.
    private byte[]? _tail;     // everything after the fraction's digits, e.g. Z or +02:00
    private long _secondTicks; // the clock ticks of that whole second
    private TimeSpan _offset;

    public DateTimeOffset? Read(ref Utf8JsonReader reader)
    {
        bool plain = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence;
        return plain && TryReadRepeated(reader.ValueSpan, out var value) ? value : ReadAndRemember(ref reader);
    }

    /// <summary>Reads <paramref name="text"/> (a string's raw UTF-8) when it is in the same second as the last one parsed.</summary>
    public readonly bool TryReadRepeated(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (_head is not { } head || !text.StartsWith(head))
        {
            return false;
        }

        var fraction = text[head.Length..];
        long ticks = 0;
        int digits = 0;
        for (; digits < fraction.Length; digits++)
        {
            uint digit = (uint)(fraction[digits] - '0');
            if (digit > 9)
            {
                break;
            }

            if (digits < FractionDigits)
            {
                ticks = (ticks * 10) + digit;
            }
        }

        if (digits == 0 || !fraction[digits..].SequenceEqual(_tail))
        {
            return false;
        }

        for (; digits < FractionDigits; digits++)
        {
            ticks *= 10;
        }

        value = new DateTimeOffset(_secondTicks + ticks, _offset);
        return true;
    }

    private DateTimeOffset? ReadAndRemember(ref Utf8JsonReader reader)
    {
        _head = null;
        bool plain = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence;
        var text = plain ? reader.ValueSpan : default;
        var value = OllamaTimestampConverter.ReadValue(ref reader);
        int dot = text.IndexOf((byte)'.');
        int end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit((char)text[end]))
        {
            end++;
        }

        if (value is { } parsed && dot > 0 && end > dot + 1)
        {
            // Offsets are whole minutes, so the ticks below a second are the fraction alone.
            _secondTicks = parsed.Ticks - (parsed.Ticks % TimeSpan.TicksPerSecond);
            _offset = parsed.Offset;
            _head = text[..(dot + 1)].ToArray();
            _tail = text[end..].ToArray();
        }

        return value;
    }
}
