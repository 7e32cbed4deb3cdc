using System.Text.Json;

namespace OpenModelClient;

/// <summary>
/// The <c>created_at</c> of consecutive NDJSON lines: the same second, a different fraction. The date, time and offset are parsed
/// once per second; within it only the fraction's digits are read, as <see cref="OllamaTimestampConverter"/> would (seven digits kept).
/// </summary>
internal struct RepeatedTimestamp
{
    private const int FractionDigits = 7; // a tick is 10^-7 s

    private byte[]? _head;  // everything before the '.', e.g. 2025-06-01T12:00:00
    private byte[]? _tail;  // everything after the fraction's digits, e.g. Z or +02:00
    private DateTimeOffset _second;

    public DateTimeOffset? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            _head = null;
            return OllamaTimestampConverter.ReadValue(ref reader);
        }

        var text = reader.ValueSpan;
        int dot = text.IndexOf((byte)'.');
        int end = dot + 1;
        long ticks = 0;
        int digits = 0;
        while (end < text.Length && char.IsAsciiDigit((char)text[end]))
        {
            if (digits < FractionDigits)
            {
                ticks = (ticks * 10) + (text[end] - '0');
                digits++;
            }

            end++;
        }

        if (dot > 0 && end > dot + 1 && _head is not null && text[..dot].SequenceEqual(_head) && text[end..].SequenceEqual(_tail))
        {
            for (; digits < FractionDigits; digits++)
            {
                ticks *= 10;
            }

            return _second.AddTicks(ticks);
        }

        var value = OllamaTimestampConverter.ReadValue(ref reader);
        if (value is { } parsed && dot > 0 && end > dot + 1)
        {
            // Offsets are whole minutes, so the ticks below a second are the fraction alone.
            _second = parsed.AddTicks(-(parsed.Ticks % TimeSpan.TicksPerSecond));
            _head = text[..dot].ToArray();
            _tail = text[end..].ToArray();
        }
        else
        {
            _head = null;
        }

        return value;
    }
}
