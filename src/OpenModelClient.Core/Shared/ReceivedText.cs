using System.Text;

namespace OpenModelClient;

/// <summary>The start of a body a server sent, as text for an exception message: enough to recognise it, never the whole of it.</summary>
internal static class ReceivedText
{
    /// <summary>How many characters of a received body an exception quotes.</summary>
    public const int PrefixChars = 200;

    public static string Prefix(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.Length > PrefixChars * 4 ? bytes[..(PrefixChars * 4)] : bytes);
        return text.Length > PrefixChars ? text[..PrefixChars] : text;
    }
}
