using System.Text.Json;

namespace OpenModelClient;

/// <summary>Value reads shared by the one-pass stream readers (SSE chunks, NDJSON lines): each advances to the value and reports whether its type was acceptable.</summary>
internal static class JsonTokenReads
{
    /// <summary>The current property name as raw UTF-8, to compare as a span; <see langword="false"/> for an escaped name (rare), which the caller hands to the serializer to unescape.</summary>
    public static bool TryGetPlainName(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        name = reader.ValueIsEscaped ? default : reader.ValueSpan;
        return !reader.ValueIsEscaped;
    }

    /// <summary>A string or null whose value usually repeats between chunks (id, model, role).</summary>
    public static bool TryReadString(ref Utf8JsonReader reader, ref RepeatedString last, out string? value)
    {
        reader.Read();
        value = reader.TokenType == JsonTokenType.String ? last.Read(ref reader) : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    /// <summary>A string or null that changes every time (content, reasoning, arguments).</summary>
    public static bool TryReadText(ref Utf8JsonReader reader, out string? value)
    {
        reader.Read();
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    /// <summary>Advances to a value that must be an object or null; <paramref name="isNull"/> tells which, and any other token returns <see langword="false"/>.</summary>
    public static bool TryStartObject(ref Utf8JsonReader reader, out bool isNull)
    {
        reader.Read();
        isNull = reader.TokenType == JsonTokenType.Null;
        return isNull || reader.TokenType == JsonTokenType.StartObject;
    }

    /// <summary>An integer or null.</summary>
    public static bool TryReadInt64(ref Utf8JsonReader reader, out long? value)
    {
        reader.Read();
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long number))
        {
            value = number;
            return true;
        }

        return false;
    }
}
