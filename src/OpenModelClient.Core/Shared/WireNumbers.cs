using System.Text.Json;

namespace OpenModelClient;

/// <summary>Turns numbers a server sent into .NET values without trusting their range: nothing a server sends throws an untyped exception or wraps around.</summary>
internal static class WireNumbers
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>A <c>created</c> Unix time in seconds; zero, negative or beyond the year 9999 means the server did not say.</summary>
    public static DateTimeOffset? UnixSeconds(long? seconds) =>
        seconds is { } s and > 0 && s <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>A token count: a negative one is not a count, so it is treated as not reported.</summary>
    public static long? Count(long? value) => value is >= 0 ? value : null;

    /// <summary>The sum of two counts, or <see langword="null"/> when either is missing or the sum cannot be represented (never a wrapped negative).</summary>
    public static long? Sum(long? a, long? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        long sum = unchecked(x + y);
        return ((x ^ sum) & (y ^ sum)) < 0 ? null : sum;
    }

    /// <summary>A JSON number that must be a 32-bit integer (a token id); anything else is the server breaking the protocol.</summary>
    /// <exception cref="OpenModelProtocolException">The number does not fit.</exception>
    public static int Int32(JsonElement value, string provider, string what) =>
        value.TryGetInt32(out int n) ? n : throw OutOfRange(value, provider, what);

    /// <summary>A JSON number that must be one byte (a piece of a token's text).</summary>
    /// <exception cref="OpenModelProtocolException">The number does not fit.</exception>
    public static byte Byte(JsonElement value, string provider, string what) =>
        value.TryGetByte(out byte n) ? n : throw OutOfRange(value, provider, what);

    /// <summary>A JSON number that must be a finite <see cref="float"/> (an embedding component).</summary>
    /// <exception cref="OpenModelProtocolException">The number does not fit.</exception>
    public static float Single(JsonElement value, string provider, string what) =>
        value.TryGetSingle(out float n) && float.IsFinite(n) ? n : throw OutOfRange(value, provider, what);

    /// <summary>A measured value rounded to a whole number, or <see langword="null"/> when it is not finite or is outside the range of <see cref="long"/>.</summary>
    public static long? Round(double? value) =>
        value is { } v && double.IsFinite(v) && Math.Round(v) is var r && r >= long.MinValue && r < long.MaxValue ? (long)r : null;

    private static OpenModelProtocolException OutOfRange(JsonElement value, string provider, string what) =>
        new(provider, null, $"{what} is out of range", value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.ValueKind.ToString());
}
