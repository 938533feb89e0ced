using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sake.Workers;

/// <summary>
/// Writes UTF-8 bytes as a JSON string and reads a JSON string back into UTF-8 bytes, without ever building a
/// .NET string: a JSON body crosses the boundary with nothing but string escaping (no UTF-16 round trip, no
/// Base64). The bytes must be valid UTF-8 (binary data uses the Base64 fields instead).
/// </summary>
internal sealed class Utf8TextConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a JSON string.");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan.ToArray();
        }

        int max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var buffer = new byte[max];
        int written = reader.CopyString(buffer);
        if (written != buffer.Length)
        {
            Array.Resize(ref buffer, written);
        }

        return buffer;
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
