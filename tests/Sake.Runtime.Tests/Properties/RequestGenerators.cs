using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Sake.Runtime.Tests.Properties;

/// <summary>
/// FsCheck generators for valid requests (<see cref="GeneratedRequest"/>): any routable method, origin-, absolute-
/// and asterisk-form targets with percent-encoding (UTF-8 included) and dot segments, token header names with
/// obs-text values and optional whitespace around them, Connection options, and bodies framed by Content-Length
/// or by chunks of random sizes with extensions, hex digits in either case, leading zeros and trailers.
/// </summary>
internal static class RequestGenerators
{
    private const string Tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~";

    /// <summary>Names the parser interprets; the generator adds them deliberately, never by chance.</summary>
    private static readonly string[] Reserved = ["host", "content-length", "transfer-encoding", "connection", "expect"];

    public static Gen<GeneratedRequest> Request =>
        from method in Gen.Elements("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE")
        from minor in Gen.Frequency((4, Gen.Constant(1)), (1, Gen.Constant(0)))
        from target in Target(method)
        from host in minor == 1 ? Host.Select(h => (HeaderLine?)h) : Gen.Frequency((1, Host.Select(h => (HeaderLine?)h)), (1, Gen.Constant((HeaderLine?)null)))
        from extra in Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Field, n))
        from connection in Gen.Frequency((6, Gen.Constant("")), (2, Gen.Elements("keep-alive", "Keep-Alive, Upgrade")), (1, Gen.Elements("close", "TE, close")))
        from framing in minor == 1 ? Gen.Elements(Framing.None, Framing.ContentLength, Framing.Chunked) : Gen.Elements(Framing.None, Framing.ContentLength)
        from body in framing == Framing.None ? Gen.Constant(Array.Empty<byte>()) : Gen.Choose(0, 120).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
        from chunks in Chunks(body.Length)
        from lastExtension in Extension
        from trailers in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Field.Select(f => f.Raw), n))
        from hostFirst in Gen.Elements(true, false)
        from leading in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 2)))
        select Build(method, minor, target, host, extra, connection, framing, body, chunks, lastExtension, trailers, hostFirst, leading);

    /// <summary>One to three requests on one connection, as bytes.</summary>
    public static Gen<GeneratedRequest[]> Pipelined => Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Request, n));

    private static GeneratedRequest Build(
        string method, int minor, (string Raw, string Path) target, HeaderLine? host, HeaderLine[] extra, string connection,
        Framing framing, byte[] body, ChunkLine[] chunks, string lastExtension, string[] trailers, bool hostFirst, int leading)
    {
        var headers = new List<HeaderLine>(extra);
        if (host is not null)
        {
            headers.Insert(hostFirst ? 0 : headers.Count, host);
        }

        if (connection.Length > 0)
        {
            headers.Add(new HeaderLine("Connection: " + connection, "Connection", connection));
        }

        if (framing == Framing.ContentLength)
        {
            string length = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers.Add(new HeaderLine("content-length:" + length, "content-length", length));
        }
        else if (framing == Framing.Chunked)
        {
            headers.Add(new HeaderLine("Transfer-Encoding: \tChunked ", "Transfer-Encoding", "Chunked"));
        }

        bool close = connection.Contains("close", StringComparison.Ordinal);
        bool keepAlive = minor == 1 ? !close : connection.StartsWith("Keep-Alive", StringComparison.OrdinalIgnoreCase) || connection == "keep-alive";
        return new GeneratedRequest
        {
            Method = method,
            Target = target.Raw,
            Path = target.Path,
            VersionMinor = minor,
            Headers = headers,
            KeepAlive = keepAlive,
            Framing = framing,
            Body = body,
            Chunks = framing == Framing.Chunked ? chunks : [],
            LastChunkExtension = lastExtension,
            Trailers = framing == Framing.Chunked ? trailers : [],
            LeadingEmptyLines = leading,
        };
    }

    /// <summary>A segment as sent and as decoded: plain, percent-encoded (ASCII or a UTF-8 character), a dot segment, or empty.</summary>
    private static Gen<(string Raw, string Decoded)> Segment => Gen.Frequency(
        (8, Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.Elements(Unreserved.ToCharArray()), n))
            .SelectMany(chars => Gen.ArrayOf(Gen.Choose(0, 5), chars.Length), (chars, encode) => Encode(chars, encode))),
        (1, Gen.Elements(("%C3%A9t%C3%A9", "été"), ("%E6%97%A5", "日"), ("%F0%9F%98%80", "😀"), ("a%20b", "a b"), ("%7e%41", "~A"))),
        (1, Gen.Elements((".", "."), ("..", ".."), ("", ""))));

    private static (string Raw, string Decoded) Encode(char[] chars, int[] encode)
    {
        var raw = new StringBuilder();
        for (int i = 0; i < chars.Length; i++)
        {
            raw.Append(encode[i] == 0 ? "%" + ((int)chars[i]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) : chars[i].ToString());
        }

        return (raw.ToString(), new string(chars));
    }

    private static Gen<string> Query => Gen.Choose(0, 12)
        .SelectMany(n => Gen.ArrayOf(Gen.Elements("abc=1&%2F/?:@!$'()*+,;-._~".ToCharArray()), n))
        .Select(chars => new string(chars));

    private static Gen<(string Raw, string Path)> Target(string method) =>
        from segments in Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Segment, n))
        from query in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Query.Select(q => (string?)q)))
        from form in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(1)), (method == "OPTIONS" ? 2 : 0, Gen.Constant(2)))
        from authority in HostName
        select MakeTarget(segments, query, form, authority);

    private static (string Raw, string Path) MakeTarget((string Raw, string Decoded)[] segments, string? query, int form, string authority)
    {
        if (form == 2)
        {
            return ("*", "*");
        }

        string rawPath = segments.Length == 0 ? (form == 1 ? "" : "/") : "/" + string.Join("/", segments.Select(s => s.Raw));
        string raw = (form == 1 ? "http://" + authority : "") + rawPath + (query is null ? "" : "?" + query);
        return (raw, "/" + string.Join("/", RemoveDotSegments(segments.Select(s => s.Decoded).ToList())));
    }

    /// <summary>RFC 3986 §5.2.4 on a list of segments: the reference the parser's in-place version must agree with.</summary>
    private static List<string> RemoveDotSegments(List<string> segments)
    {
        var output = new List<string>();
        for (int i = 0; i < segments.Count; i++)
        {
            bool last = i == segments.Count - 1;
            if (segments[i] == "." || segments[i] == "..")
            {
                if (segments[i] == ".." && output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (last)
                {
                    output.Add("");
                }
            }
            else
            {
                output.Add(segments[i]);
            }
        }

        return output;
    }

    private static Gen<string> HostName =>
        from name in Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcxyz0189-.".ToCharArray()), n))
        from port in Gen.Frequency((3, Gen.Constant("")), (1, Gen.Choose(0, 65535).Select(p => ":" + p)), (1, Gen.Constant(":")))
        from literal in Gen.Frequency((8, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("[::1]", "[fe80::1:2]", "127.0.0.1")))
        select (literal ?? new string(name)) + port;

    private static Gen<HeaderLine> Host =>
        from name in Gen.Elements("Host", "host", "HOST")
        from value in HostName
        from ows in Ows.Two()
        select new HeaderLine(name + ":" + ows.Item1 + value + ows.Item2, name, value);

    private static Gen<string> Ows => Gen.Frequency((4, Gen.Constant(" ")), (2, Gen.Constant("")), (1, Gen.Elements("\t", "  ", " \t ")));

    /// <summary>Visible ASCII and obs-text; SP and HTAB only inside (the parser trims them at the ends).</summary>
    private static Gen<string> FieldValue =>
        from length in Gen.Choose(0, 16)
        from chars in Gen.ArrayOf(Gen.Frequency((10, Gen.Choose(0x21, 0x7E)), (2, Gen.Elements<int>(' ', '\t')), (1, Gen.Choose(0x80, 0xFF))).Select(c => (char)c), length)
        select new string(chars).Trim(' ', '\t');

    private static Gen<HeaderLine> Field =>
        from name in Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements(Tchar.ToCharArray()), n)).Select(c => new string(c))
            .Where(n => !Reserved.Contains(n.ToLowerInvariant()))
        from value in FieldValue
        from ows in Ows.Two()
        select new HeaderLine(name + ":" + ows.Item1 + value + ows.Item2, name, value);

    private static Gen<string> Extension => Gen.Frequency(
        (4, Gen.Constant("")),
        (1, Gen.Elements(";a=b", ";name", " ;x=\"q v\"", ";\tn=1;m", ";" + new string('e', 20))));

    /// <summary>Cuts a body into chunks of random sizes (none for an empty body), each with its own size spelling and extension.</summary>
    private static Gen<ChunkLine[]> Chunks(int total) =>
        from sizes in Gen.ArrayOf(Gen.Choose(1, 40), 12)
        from spelling in Gen.ArrayOf(Gen.Zip(Gen.Elements(true, false), Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Choose(1, 3)))), 12)
        from extensions in Gen.ArrayOf(Extension, 12)
        select Cut(total, sizes, spelling, extensions);

    private static ChunkLine[] Cut(int total, int[] sizes, (bool Upper, int Zeros)[] spelling, string[] extensions)
    {
        var chunks = new List<ChunkLine>();
        int left = total;
        for (int i = 0; left > 0; i++)
        {
            int size = i == sizes.Length - 1 ? left : Math.Min(left, sizes[i % sizes.Length]);
            var s = spelling[i % spelling.Length];
            chunks.Add(new ChunkLine(size, GeneratedRequest.Hex(size, s.Upper, s.Zeros), extensions[i % extensions.Length]));
            left -= size;
        }

        return chunks.ToArray();
    }
}
