using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelClient;

/// <summary>Reads an embedding given as a float array or as base64 little-endian float32.</summary>
internal sealed class EmbeddingVectorConverter : JsonConverter<float[]?>
{
    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var bytes = reader.GetBytesFromBase64();
                if (bytes.Length % 4 != 0)
                {
                    throw new JsonException("A base64 embedding must be a whole number of float32 values.");
                }

                var result = new float[bytes.Length / 4];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4, 4));
                }

                return result;
            case JsonTokenType.StartArray:
                var values = new List<float>(256);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        throw new JsonException("An embedding array must hold numbers only.");
                    }

                    values.Add(reader.GetSingle());
                }

                return [.. values];
            default:
                throw new JsonException($"Unexpected {reader.TokenType} for an embedding.");
        }
    }

    public override void Write(Utf8JsonWriter writer, float[]? value, JsonSerializerOptions options) => throw new NotSupportedException();
}
