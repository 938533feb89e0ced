using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Sake.Workers;

internal static partial class WorkerCodec
{
    /// <summary>Buffers above this size are not kept for the next request (one huge body must not pin its memory).</summary>
    private const int MaxCachedBuffer = 256 * 1024;

    /// <summary>
    /// Larger text bodies travel as Base64: escaping reserves up to six output bytes per input byte, so a 30 MB body
    /// with one quote in it cost 328 MB of buffers on the loop (measured), against 1.33× for Base64.
    /// </summary>
    private const int MaxEscapedTextBody = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The JSON never reaches a browser: no reason to inflate non-ASCII or quote-like characters into \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Only this codec writes, and it writes well-formed JSON by construction.
        SkipValidation = true,
    };

    /// <summary>One writer and buffer per thread (the loop, each worker), reused for every payload it writes.</summary>
    [ThreadStatic]
    private static WriterCache? t_writer;

    /// <summary>Loop side: the request as a <see cref="WorkerContext"/> JSON document, the body as its last member.</summary>
    /// <exception cref="WorkerBoundaryException">An <see cref="Context.Items"/> value is not a JSON primitive.</exception>
    public static byte[] SerializeRequest(Context ctx, ReadOnlySpan<byte> body)
    {
        var cache = WriterCache.Rent();
        var w = cache.Writer;
        w.WriteStartObject();
        w.WriteString(Names.Method, ctx.Method);
        w.WriteString(Names.Path, ctx.Path);
        w.WriteString(Names.RawTarget, ctx.Uri);
        w.WriteString(Names.QueryString, ctx.QueryString);
        if (ctx.RoutePattern is { } pattern)
        {
            w.WriteString(Names.RoutePattern, pattern);
        }

        var headerBlock = ctx.RawHeaderBlock;
        if (!headerBlock.IsEmpty)
        {
            // The raw, already-validated header lines in one vectorized Base64 copy: no string per name and value, and
            // no escaped CR LF (a backslash pushes the reader onto its byte-by-byte path). Base64 also carries obs-text.
            w.WriteBase64String(Names.HeaderBlock, headerBlock);
        }

        w.WritePropertyName(Names.RouteValues);
        w.WriteStartObject();
        ctx.WriteRouteValues(w);
        w.WriteEndObject();
        WriteItems(w, ctx.ItemsOrNull);
        w.WritePropertyName(Names.Response);
        w.WriteStartObject();
        WriteResponseMembers(w, ctx, includeItems: false);
        w.WriteEndObject();
        WriteBody(w, body);
        w.WriteEndObject();
        return cache.ToArray();
    }

    /// <summary>Worker side: the handler's response (status, headers, body, items) as a <see cref="WorkerResponse"/>.</summary>
    /// <exception cref="WorkerBoundaryException">An <see cref="Context.Items"/> value is not a JSON primitive.</exception>
    public static byte[] SerializeResponse(Context ctx)
    {
        var cache = WriterCache.Rent();
        var w = cache.Writer;
        w.WriteStartObject();
        WriteResponseMembers(w, ctx, includeItems: true);
        w.WriteEndObject();
        return cache.ToArray();
    }

    /// <summary>Worker side: a failure that travels back as data (see <see cref="WorkerResponse.ErrorKind"/>).</summary>
    public static byte[] SerializeError(int kind, string? type, string? message, string? stackTrace, int reason)
    {
        var cache = WriterCache.Rent();
        var w = cache.Writer;
        w.WriteStartObject();
        w.WriteNumber(Names.Status, 500);
        w.WritePropertyName(Names.Headers);
        w.WriteStartArray();
        w.WriteEndArray();
        w.WriteNumber(Names.ContentKind, 0);
        w.WriteBoolean(Names.Close, false);
        w.WriteNumber(Names.ErrorKind, kind);
        WriteOptional(w, Names.ErrorType, type);
        WriteOptional(w, Names.ErrorMessage, message);
        WriteOptional(w, Names.ErrorStackTrace, stackTrace);
        w.WriteNumber(Names.ErrorReason, reason);
        w.WriteEndObject();
        return cache.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>The members of a <see cref="WorkerResponse"/>, the body last (see <see cref="ReadTailJson"/>).</summary>
    private static void WriteResponseMembers(Utf8JsonWriter w, Context ctx, bool includeItems)
    {
        w.WriteNumber(Names.Status, ctx.StatusCode);
        w.WritePropertyName(Names.Headers);
        w.WriteStartArray();
        var headers = ctx.ResponseHeaders;
        for (int i = 0; i < headers.Count; i++)
        {
            w.WriteStartArray();
            w.WriteStringValue(headers[i].Key);
            w.WriteStringValue(headers[i].Value);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteNumber(Names.ContentKind, (int)ctx.ResponseContentKind);
        WriteOptional(w, Names.ContentType, ctx.ResponseContentType);
        w.WriteBoolean(Names.Close, ctx.CloseRequested);
        if (includeItems)
        {
            WriteItems(w, ctx.ItemsOrNull);
        }

        WriteBody(w, ctx.ResponseBody);
    }

    /// <summary>
    /// One JSON object or array is embedded as JSON (validated here, once), other valid UTF-8 up to 64 KiB goes as a
    /// JSON string, anything else as Base64. Always the last member of its object.
    /// </summary>
    private static void WriteBody(Utf8JsonWriter w, ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return;
        }

        if (IsSingleJsonValue(body))
        {
            w.WritePropertyName(Names.BodyJson);
            w.WriteRawValue(body, skipInputValidation: true);
        }
        else if (body.Length <= MaxEscapedTextBody && Utf8.IsValid(body))
        {
            w.WriteString(Names.Body, body);
        }
        else
        {
            w.WriteBase64String(Names.BodyBytes, body);
        }
    }

    private static void WriteItems(Utf8JsonWriter w, Dictionary<string, object?>? items)
    {
        if (items is null || items.Count == 0)
        {
            return;
        }

        Span<char> number = stackalloc char[64];
        w.WritePropertyName(Names.Items);
        w.WriteStartArray();
        foreach (var (key, value) in items)
        {
            w.WriteStartObject();
            w.WriteString(Names.Key, key);
            int n;
            switch (value)
            {
                case null:
                    w.WriteString(Names.Type, "n"u8);
                    break;
                case string s:
                    w.WriteString(Names.Type, "s"u8);
                    w.WriteString(Names.Value, s);
                    break;
                case bool b:
                    w.WriteString(Names.Type, "b"u8);
                    w.WriteString(Names.Value, b ? "true"u8 : "false"u8);
                    break;
                case int i when i.TryFormat(number, out n, default, CultureInfo.InvariantCulture):
                    w.WriteString(Names.Type, "i"u8);
                    w.WriteString(Names.Value, number[..n]);
                    break;
                case long l when l.TryFormat(number, out n, default, CultureInfo.InvariantCulture):
                    w.WriteString(Names.Type, "l"u8);
                    w.WriteString(Names.Value, number[..n]);
                    break;
                case double d when d.TryFormat(number, out n, "R", CultureInfo.InvariantCulture):
                    w.WriteString(Names.Type, "d"u8);
                    w.WriteString(Names.Value, number[..n]);
                    break;
                case decimal m when m.TryFormat(number, out n, default, CultureInfo.InvariantCulture):
                    w.WriteString(Names.Type, "m"u8);
                    w.WriteString(Names.Value, number[..n]);
                    break;
                default:
                    throw new WorkerBoundaryException(
                        $"Items[\"{key}\"] holds a {value.GetType().Name}, which cannot cross into the worker pool: only string, bool, int, long, double, decimal and null values can. Store a primitive (e.g. an id) instead, or run this route on the loop.");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>True when <paramref name="bytes"/> is exactly one JSON object or array, with nothing around it.</summary>
    /// <remarks>Depth headroom: embedded, the value sits up to two levels down in the payload, whose reader allows 64.</remarks>
    public static bool IsSingleJsonValue(ReadOnlySpan<byte> bytes) => JsonSyntax.IsObjectOrArray(bytes, MaxEmbeddedDepth);

    /// <summary>The deepest body that is embedded as JSON; deeper ones travel as a JSON string.</summary>
    public const int MaxEmbeddedDepth = 60;

    private sealed class WriterCache
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        private WriterCache() => Writer = new Utf8JsonWriter(_buffer, WriterOptions);

        public Utf8JsonWriter Writer { get; }

        /// <summary>This thread's writer, emptied (an exception may have left the previous payload half-written).</summary>
        public static WriterCache Rent()
        {
            var cache = t_writer ??= new WriterCache();
            cache._buffer.ResetWrittenCount();
            cache.Writer.Reset(cache._buffer);
            return cache;
        }

        /// <summary>The finished payload, in an array of its own: it changes threads and outlives this writer's next use.</summary>
        public byte[] ToArray()
        {
            Writer.Flush();
            byte[] payload = _buffer.WrittenSpan.ToArray();
            if (_buffer.Capacity > MaxCachedBuffer)
            {
                t_writer = null;
            }

            return payload;
        }
    }
}
