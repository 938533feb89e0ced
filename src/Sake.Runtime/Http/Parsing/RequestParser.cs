using System.Text;
using Sake.Http.Protocol;
using Sake.Http.Rejections;

namespace Sake.Http.Parsing;

/// <summary>
/// Strict RFC 9112 parsing of a complete request head (request line and header fields). Stateless: it reads a
/// span that <see cref="HeadScanner"/> has already found to be complete and fills a <see cref="RequestHead"/>.
/// Where the RFC allows lenience (bare LF, obs-fold, whitespace before the colon, repeated or listed
/// Content-Length), Sake rejects, because every lenient reading is a chance for two parsers to disagree about
/// where a request ends.
/// </summary>
internal static class RequestParser
{
    public static RejectReason Parse(ReadOnlySpan<byte> head, RequestHead r)
    {
        r.Reset();
        r.Length = head.Length;
        int lineEnd = head.IndexOf(HttpBytes.LF);
        var reason = ParseRequestLine(head.Slice(0, lineEnd + 1), r);
        if (reason != RejectReason.None)
        {
            return reason;
        }

        int pos = lineEnd + 1;
        bool sawTransferEncoding = false;
        while (true)
        {
            int lf = head.Slice(pos).IndexOf(HttpBytes.LF);
            var line = head.Slice(pos, lf + 1);
            if (line.Length == 2 && line[0] == HttpBytes.CR)
            {
                break;
            }

            if (line.Length == 1)
            {
                return RejectReason.BareLineFeed;
            }

            reason = ParseHeaderLine(head, pos, line, r, ref sawTransferEncoding);
            if (reason != RejectReason.None)
            {
                return reason;
            }

            pos += lf + 1;
        }

        return Validate(head, r, sawTransferEncoding);
    }

    private static RejectReason ParseRequestLine(ReadOnlySpan<byte> line, RequestHead r)
    {
        // line includes the final LF; it must be "method SP target SP HTTP/x.y CR LF".
        if (line.Length < 2 || line[^2] != HttpBytes.CR)
        {
            return RejectReason.BareLineFeed;
        }

        var content = line.Slice(0, line.Length - 2);
        if (content.IndexOf(HttpBytes.CR) >= 0)
        {
            return RejectReason.BareCarriageReturn;
        }

        int methodEnd = content.IndexOfAnyExcept(HttpChars.Token);
        if (methodEnd <= 0 || content[methodEnd] != HttpBytes.SP)
        {
            return methodEnd == 0 || (methodEnd > 0 && content[methodEnd] != HttpBytes.SP && content[methodEnd] >= 0x20)
                ? RejectReason.InvalidMethod
                : RejectReason.InvalidRequestLine;
        }

        r.MethodStart = 0;
        r.MethodLength = methodEnd;
        r.Method = ClassifyMethod(content.Slice(0, methodEnd));

        int targetStart = methodEnd + 1;
        var rest = content.Slice(targetStart);
        int targetLength = rest.IndexOfAnyExcept(HttpChars.TargetChar);
        if (targetLength > 0 && rest[targetLength] != HttpBytes.SP && rest.Slice(0, targetLength).Contains((byte)'?'))
        {
            int more = rest.Slice(targetLength).IndexOfAnyExcept(HttpChars.QueryChar);
            targetLength = more < 0 ? -1 : targetLength + more;
        }

        if (targetLength <= 0 || rest[targetLength] != HttpBytes.SP)
        {
            return targetLength == 0 && rest.Length > 0 && rest[0] == HttpBytes.SP
                ? RejectReason.InvalidRequestLine
                : targetLength < 0 ? RejectReason.InvalidRequestLine : RejectReason.InvalidTarget;
        }

        r.TargetStart = targetStart;
        r.TargetLength = targetLength;
        var version = rest.Slice(targetLength + 1);
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || version[6] != (byte)'.'
            || !char.IsAsciiDigit((char)version[5]) || !char.IsAsciiDigit((char)version[7]))
        {
            return RejectReason.InvalidRequestLine;
        }

        if (version[5] != (byte)'1' || (version[7] != (byte)'0' && version[7] != (byte)'1'))
        {
            return RejectReason.UnsupportedVersion;
        }

        r.VersionMinor = version[7] - '0';
        return RejectReason.None;
    }

    private static HttpMethodKind ClassifyMethod(ReadOnlySpan<byte> m) => m.Length switch
    {
        3 when m.SequenceEqual("GET"u8) => HttpMethodKind.Get,
        3 when m.SequenceEqual("PUT"u8) => HttpMethodKind.Put,
        4 when m.SequenceEqual("POST"u8) => HttpMethodKind.Post,
        4 when m.SequenceEqual("HEAD"u8) => HttpMethodKind.Head,
        5 when m.SequenceEqual("PATCH"u8) => HttpMethodKind.Patch,
        5 when m.SequenceEqual("TRACE"u8) => HttpMethodKind.Trace,
        6 when m.SequenceEqual("DELETE"u8) => HttpMethodKind.Delete,
        7 when m.SequenceEqual("OPTIONS"u8) => HttpMethodKind.Options,
        7 when m.SequenceEqual("CONNECT"u8) => HttpMethodKind.Connect,
        _ => HttpMethodKind.Other,
    };

    private static RejectReason ParseHeaderLine(ReadOnlySpan<byte> head, int lineStart, ReadOnlySpan<byte> line, RequestHead r, ref bool sawTransferEncoding)
    {
        if (line[^2] != HttpBytes.CR)
        {
            return RejectReason.BareLineFeed;
        }

        var content = line.Slice(0, line.Length - 2);
        if (content[0] == HttpBytes.SP || content[0] == HttpBytes.HTAB)
        {
            return RejectReason.ObsoleteLineFolding;
        }

        int nameLength = content.IndexOfAnyExcept(HttpChars.Token);
        if (nameLength < 0)
        {
            return RejectReason.MissingColon;
        }

        byte stop = content[nameLength];
        if (stop != HttpBytes.Colon)
        {
            if (stop == HttpBytes.SP || stop == HttpBytes.HTAB)
            {
                return content.Slice(nameLength).IndexOf(HttpBytes.Colon) >= 0 ? RejectReason.WhitespaceBeforeColon : RejectReason.MissingColon;
            }

            if (stop == HttpBytes.CR)
            {
                return RejectReason.BareCarriageReturn;
            }

            return content.IndexOf(HttpBytes.Colon) < 0 && stop >= 0x20 && stop != 0x7F ? RejectReason.MissingColon : RejectReason.InvalidHeaderName;
        }

        if (nameLength == 0)
        {
            return RejectReason.InvalidHeaderName;
        }

        var value = content.Slice(nameLength + 1);
        int bad = value.IndexOfAnyExcept(HttpChars.FieldValue);
        if (bad >= 0)
        {
            return value[bad] == HttpBytes.CR ? RejectReason.BareCarriageReturn : RejectReason.InvalidHeaderValue;
        }

        int valueStart = nameLength + 1;
        int valueEnd = content.Length;
        while (valueStart < valueEnd && (content[valueStart] == HttpBytes.SP || content[valueStart] == HttpBytes.HTAB))
        {
            valueStart++;
        }

        while (valueEnd > valueStart && (content[valueEnd - 1] == HttpBytes.SP || content[valueEnd - 1] == HttpBytes.HTAB))
        {
            valueEnd--;
        }

        var name = content.Slice(0, nameLength);
        var trimmed = content.Slice(valueStart, valueEnd - valueStart);
        r.AddHeader(lineStart, nameLength, lineStart + valueStart, valueEnd - valueStart);
        return Classify(name, trimmed, r, ref sawTransferEncoding);
    }

    private static RejectReason Classify(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, RequestHead r, ref bool sawTransferEncoding)
    {
        switch (name.Length)
        {
            case 4 when Ascii.EqualsIgnoreCase(name, "Host"u8):
                if (r.HostIndex >= 0)
                {
                    return RejectReason.DuplicateHost;
                }

                r.HostIndex = r.HeaderCount - 1;
                return IsValidHost(value) ? RejectReason.None : RejectReason.InvalidHost;

            case 6 when Ascii.EqualsIgnoreCase(name, "Expect"u8):
                if (!Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                {
                    return RejectReason.UnsupportedExpectation;
                }

                // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
                r.ExpectContinue = r.VersionMinor == 1;
                return RejectReason.None;

            case 10 when Ascii.EqualsIgnoreCase(name, "Connection"u8):
                ParseConnection(value, r);
                return RejectReason.None;

            case 14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8):
                if (r.ContentLength >= 0)
                {
                    return RejectReason.DuplicateContentLength;
                }

                return TryParseContentLength(value, out r.ContentLength) ? RejectReason.None : RejectReason.InvalidContentLength;

            case 17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8):
                if (sawTransferEncoding)
                {
                    return RejectReason.DuplicateTransferEncoding;
                }

                sawTransferEncoding = true;
                // Judged in Validate, after Content-Length and the version are known: CL+TE is a 400 even when the
                // coding itself would have been a 501.
                r.TransferEncodingError = ParseTransferEncoding(value, r);
                return RejectReason.None;

            default:
                return RejectReason.None;
        }
    }

    /// <summary>RFC 9112 §6.3: only 1*DIGIT; no sign, no list, no whitespace inside, no overflow.</summary>
    internal static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = -1;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        long result = 0;
        foreach (byte b in value)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        length = result;
        return true;
    }

    private static RejectReason ParseTransferEncoding(ReadOnlySpan<byte> value, RequestHead r)
    {
        // RFC 9112 §6.1/§6.3: chunked must be the final coding and appear once; Sake decodes no other coding.
        bool unknown = false;
        bool chunkedSeen = false;
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            var element = comma < 0 ? value : value.Slice(0, comma);
            element = element.Trim(" \t"u8);
            if (element.IsEmpty)
            {
                return RejectReason.ChunkedNotLast;
            }

            bool isChunked = Ascii.EqualsIgnoreCase(element, "chunked"u8);
            if (isChunked)
            {
                if (chunkedSeen)
                {
                    return RejectReason.ChunkedNotLast;
                }

                chunkedSeen = true;
            }
            else if (chunkedSeen)
            {
                return RejectReason.ChunkedNotLast;
            }
            else
            {
                unknown = true;
            }

            if (comma < 0)
            {
                break;
            }

            value = value.Slice(comma + 1);
        }

        if (!chunkedSeen)
        {
            return RejectReason.ChunkedNotLast;
        }

        if (unknown)
        {
            return RejectReason.UnsupportedTransferCoding;
        }

        r.Chunked = true;
        return RejectReason.None;
    }

    private static void ParseConnection(ReadOnlySpan<byte> value, RequestHead r)
    {
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                r.ConnectionClose = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                r.ConnectionKeepAlive = true;
            }
        }
    }

    /// <summary>Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2); an IP-literal in brackets is allowed.</summary>
    internal static bool IsValidHost(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<byte> port;
        if (value[0] == (byte)'[')
        {
            int close = value.IndexOf((byte)']');
            if (close < 2 || value.Slice(1, close - 1).IndexOfAnyExcept("0123456789abcdefABCDEF:.vV"u8) >= 0)
            {
                return false;
            }

            port = value.Slice(close + 1);
            if (!port.IsEmpty && port[0] != (byte)':')
            {
                return false;
            }
        }
        else
        {
            int colon = value.IndexOf((byte)':');
            var host = colon < 0 ? value : value.Slice(0, colon);
            port = colon < 0 ? default : value.Slice(colon);
            if (host.IsEmpty || host.IndexOfAnyExcept(HttpChars.HostChar) >= 0 || host.IndexOf((byte)':') >= 0)
            {
                return false;
            }
        }

        if (port.IsEmpty)
        {
            return true;
        }

        var digits = port.Slice(1);
        return digits.Length <= 5 && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private static RejectReason Validate(ReadOnlySpan<byte> head, RequestHead r, bool sawTransferEncoding)
    {
        if (sawTransferEncoding && r.VersionMinor == 0)
        {
            return RejectReason.TransferEncodingOnHttp10;
        }

        if (sawTransferEncoding && r.ContentLength >= 0)
        {
            return RejectReason.ContentLengthWithTransferEncoding;
        }

        if (r.TransferEncodingError != RejectReason.None)
        {
            return r.TransferEncodingError;
        }

        if (r.VersionMinor == 1 && r.HostIndex < 0)
        {
            return RejectReason.MissingHost;
        }

        if (r.Method == HttpMethodKind.Connect || r.Method == HttpMethodKind.Other)
        {
            return RejectReason.MethodNotImplemented;
        }

        var target = head.Slice(r.TargetStart, r.TargetLength);
        if (target.IndexOf((byte)'#') >= 0)
        {
            return RejectReason.FragmentInTarget;
        }

        if (target.Length == 1 && target[0] == (byte)'*')
        {
            return r.Method == HttpMethodKind.Options ? RejectReason.None : RejectReason.AsteriskFormNotOptions;
        }

        return RejectReason.None;
    }
}
