using System.Buffers.Text;

namespace LoadGen;

/// <summary>
/// Finds where one HTTP/1.1 response ends (RFC 9112 §6.3): status line and headers, then a Content-Length body,
/// a chunked body (extensions and trailers skipped) or, with neither, a body that ends when the server closes.
/// 1xx interim responses are skipped; 204 and 304 have no body. Incremental: <see cref="Advance"/> consumes what
/// it can and returns false when it needs more bytes. Malformed input throws <see cref="ProtocolException"/>.
/// </summary>
internal sealed class ResponseParser
{
    private const int MaxHeadSize = 64 * 1024;
    private const int MaxChunkLineSize = 4 * 1024;

    private State _state;
    private long _remaining;

    private enum State
    {
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        UntilClose,
        Done,
    }

    /// <summary>The final status code of the current response.</summary>
    public int Status { get; private set; }

    /// <summary>False when the server will close the connection after this response.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>When set, body bytes are appended here (probe mode).</summary>
    public MemoryStream? Body { get; set; }

    /// <summary>True when the body ends with the connection (no Content-Length, not chunked).</summary>
    public bool EndsAtClose => _state == State.UntilClose;

    /// <summary>Gets ready for the next response on the connection.</summary>
    public void Reset()
    {
        _state = State.Head;
        _remaining = 0;
        Status = 0;
        KeepAlive = false;
    }

    /// <summary>Parses buffer[start..end), moving <paramref name="start"/> past what it consumed; true when the response is complete.</summary>
    public bool Advance(byte[] buffer, ref int start, int end)
    {
        while (true)
        {
            var data = buffer.AsSpan(start, end - start);
            switch (_state)
            {
                case State.Head:
                {
                    int headEnd = data.IndexOf("\r\n\r\n"u8);
                    if (headEnd < 0)
                    {
                        if (data.Length > MaxHeadSize)
                        {
                            throw new ProtocolException("response head larger than 64 KiB");
                        }

                        return false;
                    }

                    ParseHead(data[..(headEnd + 2)]);
                    start += headEnd + 4;
                    break;
                }

                case State.FixedBody:
                {
                    int n = (int)Math.Min(_remaining, data.Length);
                    Body?.Write(data[..n]);
                    start += n;
                    _remaining -= n;
                    if (_remaining > 0)
                    {
                        return false;
                    }

                    _state = State.Done;
                    break;
                }

                case State.ChunkSize:
                {
                    int lineEnd = data.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        if (data.Length > MaxChunkLineSize)
                        {
                            throw new ProtocolException("chunk-size line too long");
                        }

                        return false;
                    }

                    _remaining = ParseChunkSize(data[..lineEnd]);
                    start += lineEnd + 2;
                    _state = _remaining == 0 ? State.Trailer : State.ChunkData;
                    break;
                }

                case State.ChunkData:
                {
                    int n = (int)Math.Min(_remaining, data.Length);
                    Body?.Write(data[..n]);
                    start += n;
                    _remaining -= n;
                    if (_remaining > 0)
                    {
                        return false;
                    }

                    _state = State.ChunkDataEnd;
                    break;
                }

                case State.ChunkDataEnd:
                    if (data.Length < 2)
                    {
                        return false;
                    }

                    if (data[0] != '\r' || data[1] != '\n')
                    {
                        throw new ProtocolException("chunk data not followed by CRLF");
                    }

                    start += 2;
                    _state = State.ChunkSize;
                    break;

                case State.Trailer:
                {
                    int lineEnd = data.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        if (data.Length > MaxHeadSize)
                        {
                            throw new ProtocolException("trailer section too long");
                        }

                        return false;
                    }

                    start += lineEnd + 2;
                    if (lineEnd == 0)
                    {
                        _state = State.Done;
                    }

                    break;
                }

                case State.UntilClose:
                    Body?.Write(data);
                    start = end;
                    return false;

                case State.Done:
                    return true;
            }
        }
    }

    /// <summary>Parses the status line and header fields; <paramref name="head"/> ends with the last field's CRLF.</summary>
    private void ParseHead(ReadOnlySpan<byte> head)
    {
        int lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = head[..lineEnd];

        // HTTP/1.x SP 3DIGIT [SP reason]
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != ' '
            || (statusLine.Length > 12 && statusLine[12] != ' ')
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out int used) || used != 3 || status < 100)
        {
            throw new ProtocolException("malformed status line");
        }

        bool http10 = statusLine[7] == '0';
        bool keepAlive = !http10;
        long contentLength = -1;
        bool chunked = false;

        var rest = head[(lineEnd + 2)..];
        while (rest.Length > 0)
        {
            int eol = rest.IndexOf("\r\n"u8);
            var line = rest[..eol];
            rest = rest[(eol + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new ProtocolException("malformed header line");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (AsciiEquals(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long cl, out int clUsed) || clUsed != value.Length || cl < 0
                    || (contentLength >= 0 && cl != contentLength))
                {
                    throw new ProtocolException("bad Content-Length");
                }

                contentLength = cl;
            }
            else if (AsciiEquals(name, "transfer-encoding"u8))
            {
                chunked = EndsWithToken(value, "chunked"u8);
                if (!chunked)
                {
                    throw new ProtocolException("unsupported Transfer-Encoding");
                }
            }
            else if (AsciiEquals(name, "connection"u8))
            {
                if (ContainsToken(value, "close"u8))
                {
                    keepAlive = false;
                }
                else if (http10 && ContainsToken(value, "keep-alive"u8))
                {
                    keepAlive = true;
                }
            }
        }

        if (status < 200)
        {
            if (status == 101)
            {
                throw new ProtocolException("unexpected 101 Switching Protocols");
            }

            // Interim response: the final one follows on the same connection.
            return;
        }

        Status = status;
        KeepAlive = keepAlive;
        if (status is 204 or 304)
        {
            _state = State.Done;
        }
        else if (chunked)
        {
            _state = State.ChunkSize;
        }
        else if (contentLength >= 0)
        {
            _remaining = contentLength;
            _state = contentLength == 0 ? State.Done : State.FixedBody;
        }
        else
        {
            KeepAlive = false;
            _state = State.UntilClose;
        }
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        int end = line.IndexOfAny(";\t "u8);
        var hex = end < 0 ? line : line[..end];
        if (hex.Length == 0 || hex.Length > 15 || !Utf8Parser.TryParse(hex, out long size, out int used, 'X') || used != hex.Length)
        {
            throw new ProtocolException("bad chunk size");
        }

        return size;
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lowerB) =>
        System.Text.Ascii.EqualsIgnoreCase(a, lowerB);

    private static bool ContainsToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (AsciiEquals(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        int comma = list.LastIndexOf((byte)',');
        var last = comma < 0 ? list : list[(comma + 1)..];
        return AsciiEquals(last.Trim(" \t"u8), token);
    }
}

/// <summary>The server sent something that is not a well-formed HTTP/1.1 response.</summary>
internal sealed class ProtocolException(string message) : Exception(message);
