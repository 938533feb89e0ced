using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sake.Workers;

/// <summary>
/// Embeds bytes that are one complete JSON value as that value itself: <c>"BodyJson": {"a":1}</c>. A JSON body then
/// crosses with no escaping and no Base64 — written with a copy, read back as the exact original bytes.
/// (As an escaped string every quote would become <c>\"</c>, and a backslash sends System.Text.Json's reader down
/// its byte-by-byte path: measured as the largest single cost of the boundary.) This converter is the schema's
/// definition, used through <see cref="WorkerJsonContext"/>; the hot path is <see cref="WorkerCodec"/>.
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return JsonMarshal.GetRawUtf8Value(document.RootElement).ToArray();
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value, skipInputValidation: true);
}
