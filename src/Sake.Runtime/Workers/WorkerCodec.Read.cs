using System.Text.Json;

namespace Sake.Workers;

internal static partial class WorkerCodec
{
    /// <summary>Worker side: the <see cref="WorkerContext"/> the loop wrote.</summary>
    /// <exception cref="JsonException">The payload is not a WorkerContext document.</exception>
    public static WorkerContext DeserializeRequest(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        ExpectStartObject(ref reader);
        var dto = new WorkerContext();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("Method"u8))
            {
                dto.Method = ReadString(ref reader) ?? "GET";
            }
            else if (reader.ValueTextEquals("Path"u8))
            {
                dto.Path = ReadString(ref reader) ?? "/";
            }
            else if (reader.ValueTextEquals("RawTarget"u8))
            {
                dto.RawTarget = ReadString(ref reader) ?? "/";
            }
            else if (reader.ValueTextEquals("QueryString"u8))
            {
                dto.QueryString = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals("RoutePattern"u8))
            {
                dto.RoutePattern = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("HeaderBlock"u8))
            {
                dto.HeaderBlock = ReadBase64(ref reader);
            }
            else if (reader.ValueTextEquals("RouteValues"u8))
            {
                ReadRouteValues(ref reader, dto.RouteValues);
            }
            else if (reader.ValueTextEquals("Items"u8))
            {
                dto.Items = ReadItems(ref reader);
            }
            else if (reader.ValueTextEquals("Response"u8))
            {
                Advance(ref reader);
                dto.Response = ReadResponse(ref reader, utf8, root: false);
            }
            else if (reader.ValueTextEquals("BodyJson"u8))
            {
                dto.BodyJson = ReadTailJson(ref reader, utf8);
                return dto;
            }
            else if (reader.ValueTextEquals("Body"u8))
            {
                dto.Body = ReadUtf8Text(ref reader);
            }
            else if (reader.ValueTextEquals("BodyBytes"u8))
            {
                dto.BodyBytes = ReadBase64(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return dto;
    }

    /// <summary>Loop side: the <see cref="WorkerResponse"/> a worker wrote.</summary>
    /// <exception cref="JsonException">The payload is not a WorkerResponse document.</exception>
    public static WorkerResponse DeserializeResponse(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Advance(ref reader);
        return ReadResponse(ref reader, utf8, root: true);
    }

    /// <summary>Reads one response object; the reader is on its StartObject.</summary>
    private static WorkerResponse ReadResponse(ref Utf8JsonReader reader, byte[] utf8, bool root)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A worker response must be a JSON object.");
        }

        var r = new WorkerResponse();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("Status"u8))
            {
                r.Status = ReadInt32(ref reader);
            }
            else if (reader.ValueTextEquals("Headers"u8))
            {
                ReadHeaders(ref reader, r.Headers);
            }
            else if (reader.ValueTextEquals("ContentKind"u8))
            {
                r.ContentKind = ReadInt32(ref reader);
            }
            else if (reader.ValueTextEquals("ContentType"u8))
            {
                r.ContentType = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("Close"u8))
            {
                Advance(ref reader);
                r.Close = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("Items"u8))
            {
                r.Items = ReadItems(ref reader);
            }
            else if (reader.ValueTextEquals("BodyJson"u8))
            {
                if (root)
                {
                    r.BodyJson = ReadTailJson(ref reader, utf8);
                    return r;
                }

                r.BodyJson = ReadEmbeddedJson(ref reader, utf8);
            }
            else if (reader.ValueTextEquals("Body"u8))
            {
                r.Body = ReadUtf8Text(ref reader);
            }
            else if (reader.ValueTextEquals("BodyBytes"u8))
            {
                r.BodyBytes = ReadBase64(ref reader);
            }
            else if (reader.ValueTextEquals("ErrorKind"u8))
            {
                r.ErrorKind = ReadInt32(ref reader);
            }
            else if (reader.ValueTextEquals("ErrorType"u8))
            {
                r.ErrorType = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("ErrorMessage"u8))
            {
                r.ErrorMessage = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("ErrorStackTrace"u8))
            {
                r.ErrorStackTrace = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("ErrorReason"u8))
            {
                r.ErrorReason = ReadInt32(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return r;
    }

    /// <summary>
    /// The embedded JSON body of the document's root object. It is the root's last member by construction (both this
    /// codec and <see cref="WorkerJsonContext"/> write it last), so it is everything between its first byte and the
    /// root's closing brace: sliced, not tokenized again — the writer validated it, in this process.
    /// </summary>
    private static byte[]? ReadTailJson(ref Utf8JsonReader reader, byte[] utf8)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        int start = checked((int)reader.TokenStartIndex);
        int end = utf8.Length - 1;
        byte open = utf8[start];
        byte close = end > start ? utf8[end - 1] : (byte)0;
        if (utf8[end] != (byte)'}' || !((open == (byte)'{' && close == (byte)'}') || (open == (byte)'[' && close == (byte)']')))
        {
            throw new JsonException("BodyJson must be the last member of the payload and hold one JSON object or array.");
        }

        return utf8.AsSpan(start, end - start).ToArray();
    }

    /// <summary>An embedded JSON value anywhere else: its exact bytes, found by skipping over it.</summary>
    private static byte[]? ReadEmbeddedJson(ref Utf8JsonReader reader, byte[] utf8)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        long start = reader.TokenStartIndex;
        reader.Skip();
        return utf8.AsSpan((int)start, (int)(reader.BytesConsumed - start)).ToArray();
    }

    /// <summary>A JSON string's UTF-8 bytes, unescaped, without a .NET string in between.</summary>
    private static byte[]? ReadUtf8Text(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a JSON string.");
        }

        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.ToArray();
        }

        var buffer = new byte[reader.ValueSpan.Length];
        int written = reader.CopyString(buffer);
        return written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
    }

    private static void ReadRouteValues(ref Utf8JsonReader reader, Dictionary<string, string> into)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("RouteValues must be a JSON object.");
        }

        while (NextMember(ref reader))
        {
            string name = reader.GetString()!;
            into[name] = ReadString(ref reader) ?? "";
        }
    }

    private static void ReadHeaders(ref Utf8JsonReader reader, List<string[]> into)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Headers must be a JSON array.");
        }

        while (true)
        {
            Advance(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("A header must be a [name, value] array.");
            }

            string name = ReadString(ref reader) ?? throw new JsonException("A header name cannot be null.");
            string value = ReadString(ref reader) ?? "";
            Advance(ref reader);
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("A header must be a [name, value] array.");
            }

            into.Add([name, value]);
        }
    }

    private static List<WorkerItem>? ReadItems(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Items must be a JSON array.");
        }

        var items = new List<WorkerItem>();
        while (true)
        {
            Advance(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return items;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("An item must be a JSON object.");
            }

            var item = new WorkerItem();
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("Key"u8))
                {
                    item.Key = ReadString(ref reader) ?? "";
                }
                else if (reader.ValueTextEquals("Type"u8))
                {
                    item.Type = ReadString(ref reader) ?? "n";
                }
                else if (reader.ValueTextEquals("Value"u8))
                {
                    item.Value = ReadString(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            items.Add(item);
        }
    }

    private static void ExpectStartObject(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A worker payload must be a JSON object.");
        }
    }

    /// <summary>Moves to the next member name of the current object; false at its end.</summary>
    private static bool NextMember(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException("Expected a member name."),
        };
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The worker payload ended early.");
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.GetString();
    }

    private static int ReadInt32(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.GetInt32();
    }

    private static byte[]? ReadBase64(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetBytesFromBase64();
    }
}
