using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sake.Http.Protocol;
using Sake.Http.Responses;

namespace Sake;

public sealed partial class Context
{
    private readonly List<KeyValuePair<string, string>> _headers;
    private PooledBufferWriter? _body;
    private Utf8JsonWriter? _jsonWriter;
    private int _status;
    private string? _contentType;
    private ContentKind _contentKind;
    private bool _closeRequested;

    internal enum ContentKind : byte
    {
        None,
        Text,
        Json,
        Html,
        Custom,
    }

    /// <summary>The response status code (200 unless set).</summary>
    public int StatusCode => _status;

    /// <summary>True once response bytes went to the client (after the first <see cref="WriteAsync"/>); headers are then fixed.</summary>
    public bool ResponseStarted => _host.ResponseStarted;

    /// <summary>The response headers set so far (Content-Type, Content-Length and Date are managed by the server).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders => _headers;

    internal ContentKind ResponseContentKind => _contentKind;

    internal string? ResponseContentType => _contentType;

    internal ReadOnlySpan<byte> ResponseBody => _body is null ? default : _body.WrittenSpan;

    internal bool CloseRequested => _closeRequested;

    /// <summary>Sets the status code (100..599).</summary>
    public Context Status(int statusCode)
    {
        if ((uint)(statusCode - 200) >= 400)
        {
            // 1xx are interim responses the server sends itself (100 Continue); a final response is 200..599.
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A response status must be 200..599.");
        }

        EnsureNotStarted();
        _status = statusCode;
        return this;
    }

    /// <summary>
    /// Sets a response header, replacing earlier values of the same name. <c>Content-Type</c> is honoured;
    /// <c>Connection: close</c> closes the connection after this response; <c>Content-Length</c>,
    /// <c>Transfer-Encoding</c> and <c>Date</c> are managed by the server and rejected.
    /// </summary>
    public Context SetHeader(string name, string value)
    {
        ValidateHeader(name, value);
        EnsureNotStarted();
        if (HandleSpecialHeader(name, value))
        {
            return this;
        }

        for (int i = _headers.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _headers.RemoveAt(i);
            }
        }

        _headers.Add(new(name, value));
        return this;
    }

    /// <summary>Adds a response header, keeping earlier values (for repeated fields such as <c>Set-Cookie</c>).</summary>
    public Context AddHeader(string name, string value)
    {
        ValidateHeader(name, value);
        EnsureNotStarted();
        if (!HandleSpecialHeader(name, value))
        {
            _headers.Add(new(name, value));
        }

        return this;
    }

    /// <summary>Answers with <paramref name="value"/> serialized by a source-generated <paramref name="typeInfo"/>.</summary>
    public void Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var body = BeginBody(ContentKind.Json, null);
        var writer = _jsonWriter;
        if (writer is null)
        {
            writer = _jsonWriter = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            writer.Reset(body);
        }

        JsonSerializer.Serialize(writer, value, typeInfo);
        writer.Flush();
    }

    /// <summary>Answers with UTF-8 <c>text/plain</c>.</summary>
    public void Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteUtf8(BeginBody(ContentKind.Text, null), text);
    }

    /// <summary>Answers with UTF-8 <c>text/html</c>.</summary>
    public void Html(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        WriteUtf8(BeginBody(ContentKind.Html, null), html);
    }

    /// <summary>Answers with raw bytes of the given content type.</summary>
    public void Data(string contentType, ReadOnlySpan<byte> data)
    {
        ValidateHeader("Content-Type", contentType);
        BeginBody(ContentKind.Custom, contentType).Write(data);
    }

    /// <summary>Redirects with a 3xx status (301, 302, 303, 307 or 308) to <paramref name="url"/>.</summary>
    public void Redirect(int statusCode, string url)
    {
        if (statusCode is not (300 or 301 or 302 or 303 or 307 or 308))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Redirects use 300, 301, 302, 303, 307 or 308.");
        }

        ValidateHeader("Location", url);
        Status(statusCode);
        SetHeader("Location", url);
        ClearBody();
    }

    /// <summary>
    /// Streams part of the body now. The first call sends the status and headers with chunked framing (HTTP/1.1)
    /// or with the connection closing at the end (HTTP/1.0); anything already buffered is sent first.
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data) => _host.WriteStreamingAsync(this, data);

    internal void AppendBody(ReadOnlySpan<byte> data)
    {
        var body = _body ??= new PooledBufferWriter(Math.Max(data.Length, 4096), _host.Buffers);
        body.Write(data);
    }

    internal void WriteErrorJson(string message)
    {
        var body = BeginBody(ContentKind.Json, null);
        var writer = new Utf8JsonWriter((IBufferWriter<byte>)body);
        writer.WriteStartObject();
        writer.WriteString("error"u8, message);
        writer.WriteEndObject();
        writer.Flush();
    }

    internal void ClearBody()
    {
        EnsureNotStarted();
        _body?.Clear();
        _contentKind = ContentKind.None;
        _contentType = null;
    }

    internal void ResetResponse()
    {
        _status = 200;
        _headers.Clear();
        _body?.Clear();
        _contentKind = ContentKind.None;
        _contentType = null;
        _closeRequested = false;
    }

    /// <summary>Replaces the whole response state (the worker boundary uses it in both directions).</summary>
    internal void LoadResponse(int status, List<string[]> headers, ContentKind kind, string? contentType, ReadOnlySpan<byte> body, bool close)
    {
        _status = status;
        _headers.Clear();
        foreach (var h in headers)
        {
            _headers.Add(new(h[0], h[1]));
        }

        _body ??= new PooledBufferWriter(Math.Max(body.Length, 256), _host.Buffers);
        _body.Clear();
        _body.Write(body);
        _contentKind = kind;
        _contentType = contentType;
        _closeRequested = close;
    }

    internal void ReleaseBuffers()
    {
        _body?.Dispose();
        _body = null;
    }

    /// <summary>Between requests: the last response was copied out already, so its buffer can go back to the pool.</summary>
    internal void ReleaseIdleBuffers()
    {
        _body?.Clear();
        _body?.Release();
    }

    internal bool HoldsBuffers => _body?.HoldsBuffer == true;

    private PooledBufferWriter BeginBody(ContentKind kind, string? contentType)
    {
        EnsureNotStarted();
        var body = _body ??= new PooledBufferWriter(4096, _host.Buffers);
        body.Clear();
        _contentKind = kind;
        _contentType = contentType;
        return body;
    }

    private static void WriteUtf8(PooledBufferWriter body, string text)
    {
        var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        body.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private bool HandleSpecialHeader(string name, string value)
    {
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            _contentType = value;
            _contentKind = ContentKind.Custom;
            return true;
        }

        if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
        {
            if (value.Contains("close", StringComparison.OrdinalIgnoreCase))
            {
                _closeRequested = true;
            }

            return true;
        }

        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Date", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The server manages the '{name}' header.", nameof(name));
        }

        return false;
    }

    private void EnsureNotStarted()
    {
        if (_host.ResponseStarted)
        {
            throw new InvalidOperationException("The response has started; status, headers and buffered body can no longer change.");
        }
    }

    private static void ValidateHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in name)
        {
            if (c > 0x7F || !HttpChars.Token.Contains((byte)c))
            {
                throw new ArgumentException($"'{name}' is not a valid header name.", nameof(name));
            }
        }

        // CR, LF and other controls in a value would let a handler split the response (header injection).
        foreach (char c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                throw new ArgumentException($"The value for header '{name}' contains a control character.", nameof(value));
            }
        }
    }
}
