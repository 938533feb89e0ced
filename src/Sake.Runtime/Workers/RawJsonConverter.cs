using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sake.Workers;

/// <summary>
/// Embeds bytes that are one complete JSON value as that value itself: <c>"BodyJson": {"a":1}</c>. A JSON body then
/// crosses with no escaping and no Base64 — written with a copy, read back as the exact original bytes.
/// (As an escaped string every quote would become <c>\"</c>, and a backslash sends System.Text.Json's reader down
/// its byte-by-byte path: measured as the largest single cost of the boundary.)
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<byte[]>
{
    /// <summary>
    /// The payload being deserialized on this thread (set by <see cref="WorkerCodec"/>), so the value's bytes can be
    /// sliced straight out of it instead of being parsed into a document first.
    /// </summary>
    [ThreadStatic]
    internal static byte[]? CurrentPayload;

    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (CurrentPayload is { } payload && !reader.HasValueSequence)
        {
            long start = reader.TokenStartIndex;
            reader.Skip();
            return payload.AsSpan((int)start, (int)(reader.BytesConsumed - start)).ToArray();
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return JsonMarshal.GetRawUtf8Value(document.RootElement).ToArray();
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value, skipInputValidation: true);

    /// <summary>True when <paramref name="bytes"/> is exactly one JSON object or array, with nothing around it.</summary>
    public static bool IsSingleJsonValue(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2 || (bytes[0] != (byte)'{' && bytes[0] != (byte)'[') || (bytes[^1] != (byte)'}' && bytes[^1] != (byte)']'))
        {
            return false;
        }

        // Depth headroom: embedded, the value sits two levels down in the payload, whose reader allows 64.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 60 });
        try
        {
            return reader.Read() && reader.TrySkip() && reader.BytesConsumed == bytes.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
