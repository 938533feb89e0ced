using System.Text.Unicode;
using Sake.Http.Rejections;

namespace Sake.Http.Parsing;

/// <summary>
/// Turns a request-target into the one canonical path every later stage sees (router, group middleware,
/// handlers): percent-decoded once, dot segments removed (RFC 3986 §5.2.4) after decoding, so <c>/%61dmin</c>,
/// <c>/x/../admin</c> and <c>/x/%2e%2e/admin</c> are all <c>/admin</c>. An encoded <c>/</c> is rejected rather than
/// decoded (it would change the segment structure), as are NUL and other control characters and invalid UTF-8.
/// </summary>
internal static class RequestTarget
{
    /// <summary>
    /// Decodes the path of <paramref name="target"/> into <paramref name="scratch"/> (at least target.Length bytes).
    /// <paramref name="queryStart"/> is the index in target just after '?', or -1.
    /// </summary>
    public static RejectReason Canonicalize(ReadOnlySpan<byte> target, Span<byte> scratch, out int pathLength, out int queryStart)
    {
        pathLength = 0;
        queryStart = -1;
        int pathStart;
        if (target[0] == (byte)'/')
        {
            pathStart = 0;
        }
        else if (target.Length == 1 && target[0] == (byte)'*')
        {
            scratch[0] = (byte)'*';
            pathLength = 1;
            return RejectReason.None;
        }
        else
        {
            var reason = SkipAbsoluteFormPrefix(target, out pathStart);
            if (reason != RejectReason.None)
            {
                return reason;
            }
        }

        int q = target.Slice(pathStart).IndexOf((byte)'?');
        int pathEnd = q < 0 ? target.Length : pathStart + q;
        queryStart = q < 0 ? -1 : pathEnd + 1;
        var rawPath = target.Slice(pathStart, pathEnd - pathStart);
        if (rawPath.IsEmpty)
        {
            // absolute-form "http://host" or "http://host?x" names the root (RFC 9112 §3.2.2).
            scratch[0] = (byte)'/';
            pathLength = 1;
            return RejectReason.None;
        }

        var decodeReason = PercentDecode(rawPath, scratch, out int decodedLength);
        if (decodeReason != RejectReason.None)
        {
            return decodeReason;
        }

        if (!Utf8.IsValid(scratch.Slice(0, decodedLength)))
        {
            return RejectReason.InvalidUtf8InPath;
        }

        pathLength = RemoveDotSegments(scratch.Slice(0, decodedLength));
        return RejectReason.None;
    }

    /// <summary>absolute-form: scheme "://" authority; only http and https, no userinfo, a valid host.</summary>
    private static RejectReason SkipAbsoluteFormPrefix(ReadOnlySpan<byte> target, out int pathStart)
    {
        pathStart = 0;
        int sep = target.IndexOf("://"u8);
        if (sep <= 0)
        {
            return RejectReason.InvalidTarget;
        }

        var scheme = target.Slice(0, sep);
        if (!System.Text.Ascii.EqualsIgnoreCase(scheme, "http"u8) && !System.Text.Ascii.EqualsIgnoreCase(scheme, "https"u8))
        {
            return RejectReason.InvalidTarget;
        }

        int authorityStart = sep + 3;
        int authorityEnd = target.Slice(authorityStart).IndexOfAny((byte)'/', (byte)'?');
        authorityEnd = authorityEnd < 0 ? target.Length : authorityStart + authorityEnd;
        if (!RequestParser.IsValidHost(target.Slice(authorityStart, authorityEnd - authorityStart)))
        {
            return RejectReason.InvalidTarget;
        }

        pathStart = authorityEnd;
        return RejectReason.None;
    }

    private static RejectReason PercentDecode(ReadOnlySpan<byte> raw, Span<byte> output, out int length)
    {
        int o = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == (byte)'%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    length = 0;
                    return RejectReason.InvalidPercentEncoding;
                }

                b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
                if (b == (byte)'/')
                {
                    length = 0;
                    return RejectReason.EncodedSlashInPath;
                }

                if (b == 0)
                {
                    length = 0;
                    return RejectReason.NulInPath;
                }

                if (b < 0x20 || b == 0x7F)
                {
                    length = 0;
                    return RejectReason.ControlCharacterInPath;
                }
            }

            output[o++] = b;
        }

        length = o;
        return RejectReason.None;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>RFC 3986 §5.2.4 over a path that starts with '/', in place; returns the new length.</summary>
    internal static int RemoveDotSegments(Span<byte> path)
    {
        int n = path.Length;
        int o = 0;
        int i = 0;
        while (i < n)
        {
            int segStart = i + 1;
            int next = segStart >= n ? -1 : path.Slice(segStart).IndexOf((byte)'/');
            int segEnd = next < 0 ? n : segStart + next;
            int segLength = segEnd - segStart;
            bool last = segEnd == n;
            if (segLength == 1 && path[segStart] == (byte)'.')
            {
                if (last)
                {
                    path[o++] = (byte)'/';
                }
            }
            else if (segLength == 2 && path[segStart] == (byte)'.' && path[segStart + 1] == (byte)'.')
            {
                int slash = path.Slice(0, o).LastIndexOf((byte)'/');
                o = slash < 0 ? 0 : slash;
                if (last)
                {
                    path[o++] = (byte)'/';
                }
            }
            else
            {
                path[o++] = (byte)'/';
                path.Slice(segStart, segLength).CopyTo(path.Slice(o));
                o += segLength;
            }

            i = segEnd;
        }

        if (o == 0)
        {
            path[o++] = (byte)'/';
        }

        return o;
    }
}
