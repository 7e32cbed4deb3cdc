using System.Text;
using System.Text.Json;

namespace OpenModelClient;

/// <summary>The last value of a JSON string field that usually repeats from one streamed chunk to the next (id, model, role):
/// read again only when it changes, compared by its UTF-8 bytes.</summary>
internal struct RepeatedString
{
    private string? _value;
    private byte[]? _utf8;

    /// <summary>Returns the current string token's value, the previous instance when the text is the same.</summary>
    public string Read(ref Utf8JsonReader reader)
    {
        if (_utf8 is not null && reader.ValueTextEquals(_utf8))
        {
            return _value!;
        }

        var value = reader.GetString()!;
        _value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
        return value;
    }
}
