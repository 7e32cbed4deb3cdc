using System.Text;

namespace OpenModelClient.Tests.Shared;

/// <summary>
/// The text of generated stream chunks: mostly plain words, as a model streams them, and now and then every kind of string a stream
/// reader must not take for plain: escapes, multi-byte UTF-8, quotes that end the string early, raw control characters, invalid UTF-8,
/// bad escapes and lone surrogates.
/// </summary>
internal static class StreamText
{
    private static readonly byte[] Marker = "TEXT"u8.ToArray();

    private static readonly byte[][] Unusual =
    [
        [],
        "caf\u00e9 \U0001F600"u8.ToArray(),
        "\\u00e9\\n"u8.ToArray(),
        "say \\\"hi\\\""u8.ToArray(),
        "back\\\\slash"u8.ToArray(),
        "\\\\"u8.ToArray(),
        "x\",\"role\":\"user"u8.ToArray(),
        "x\"}"u8.ToArray(),
        "x\""u8.ToArray(),
        [(byte)'a', 0x01, (byte)'b'],
        [(byte)'a', (byte)'\n'],
        [(byte)'a', 0xC3, 0x28],
        [0xFF],
        "\\q"u8.ToArray(),
        "x\\"u8.ToArray(),
        "\\ud800"u8.ToArray(),
        "\\ud83d\\ude00"u8.ToArray(),
    ];

    /// <summary>Replaces each <c>TEXT</c> in <paramref name="template"/> with a text of its own.</summary>
    public static byte[] Fill(byte[] template, Random random)
    {
        var result = new List<byte>(template.Length + 32);
        var rest = template.AsSpan();
        int at;
        while ((at = rest.IndexOf(Marker)) >= 0)
        {
            result.AddRange(rest[..at]);
            result.AddRange(Next(random));
            rest = rest[(at + Marker.Length)..];
        }

        result.AddRange(rest);
        return [.. result];
    }

    private static byte[] Next(Random random) =>
        random.Next(6) == 0
            ? Unusual[random.Next(Unusual.Length)]
            : Encoding.UTF8.GetBytes(new string((char)('a' + random.Next(26)), random.Next(1, 6)));
}
