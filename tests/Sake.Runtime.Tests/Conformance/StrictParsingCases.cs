using System.Globalization;
using System.Text;
using Limits = Sake.Runtime.Tests.Conformance.StrictParsingTests.Limits;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Case tables for <see cref="StrictParsingTests"/>. Strings are Latin-1: each char is one byte on the wire
/// (write control bytes as \u00XX, never \x, which swallows following hex digits).
/// </summary>
internal static class StrictParsingCases
{
    /// <summary>The request a lenient parser might find inside or after a bad one; only it reaches <c>/hit</c>.</summary>
    public const string Hidden = "GET /hit HTTP/1.1\r\nHost: x\r\n\r\n";

    public const int ShortRequestLine = 256;
    public const int SmallHeaderBlock = 1024;
    public const int FewHeaders = 10;
    public const int SmallBody = 100;
    public const int ShortChunkExtension = 16;

    private const string Host = "Host: x\r\n";

    public static TheoryData<string, string, int, Limits> Rejected()
    {
        var t = new TheoryData<string, string, int, Limits>();
        void Add(string name, string request, int status, Limits limits = Limits.Default) => t.Add(name, request, status, limits);

        // 1. Content-Length together with Transfer-Encoding (RFC 9112 §6.3 item 3).
        Add("CL then TE chunked", Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400);
        Add("TE chunked then CL (TE.CL smuggle shape)", Post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", ChunkOf(Hidden) + "0\r\n\r\n"), 400);
        Add("CL with TE gzip, chunked is 400 not 501", Post("Content-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 400);

        // 2. Transfer-Encoding other than one final chunked (RFC 9112 §6.1, §6.3).
        Add("TE chunked, gzip (chunked not last)", Post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400);
        Add("TE chunked, chunked", Post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400);
        Add("two TE chunked header lines", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400);
        Add("TE chunked line then TE gzip line", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n"), 400);
        Add("TE gzip, chunked (unsupported coding)", Post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501);
        Add("TE foo alone (no chunked)", Post("Transfer-Encoding: foo\r\n", "0\r\n\r\n"), 400);
        Add("TE with space before colon, plus CL", Post("Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", "0\r\n\r\n"), 400);
        Add("TE value obs-folded", Post("Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n"), 400);

        // 3. Transfer-Encoding on HTTP/1.0.
        Add("TE chunked on HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Hidden, 400);

        // 4. Content-Length must be 1*DIGIT, once (RFC 9112 §6.3 item 5, RFC 9110 §8.6).
        foreach (var value in new[] { "+5", "-1", "5 5", "0x5", "5,5", "5, 5", "abc", "5a", "99999999999999999999" })
        {
            Add($"CL '{value}'", Post($"Content-Length: {value}\r\n", "hello"), 400);
        }

        Add("CL empty value after SP", Post("Content-Length: \r\n", "hello"), 400);
        Add("CL empty value", Post("Content-Length:\r\n", "hello"), 400);
        Add("CL repeated identical", Post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), 400);
        Add("CL repeated different", Post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello"), 400);
        Add("CL with space before colon", Post("Content-Length : 5\r\n", "hello"), 400);

        // 5. Field-line and method syntax (RFC 9112 §5.1, §5.2; RFC 9110 §5.1, §5.6.2).
        Add("SP between Host and colon", Get("Host : x\r\n"), 400);
        Add("SP between name and colon", Get(Host + "X-A : y\r\n"), 400);
        Add("HTAB between name and colon", Get(Host + "X-A\t: y\r\n"), 400);
        Add("obs-fold with SP", Get(Host + "X-A: a\r\n b\r\n"), 400);
        Add("obs-fold with HTAB", Get(Host + "X-A: a\r\n\tb\r\n"), 400);
        Add("whitespace before the first header line", Get(" X-A: a\r\n" + Host), 400);
        Add("header line without colon", Get(Host + "NoColon\r\n"), 400);
        Add("empty header name", Get(Host + ": y\r\n"), 400);
        Add("header name Ho(st", Get(Host + "Ho(st: x\r\n"), 400);
        Add("header name X Y", Get(Host + "X Y: z\r\n"), 400);
        Add("header name quoted", Get(Host + "\"X\": y\r\n"), 400);
        Add("header name with byte 0xE9", Get(Host + "X\u00E9: y\r\n"), 400);
        Add("header name with NUL", Get(Host + "X\u0000A: y\r\n"), 400);
        Add("method G(ET", Line("G(ET / HTTP/1.1"), 400);
        Add("method GE T", Line("GE T / HTTP/1.1"), 400);

        // 6. Bare CR, bare LF, NUL and other controls (RFC 9112 §2.2, RFC 9110 §5.5).
        Add("bare CR in target", Line("GET /a\rb HTTP/1.1"), 400);
        Add("bare CR ends request line", "GET / HTTP/1.1\rHost: x\r\n\r\n" + Hidden, 400);
        Add("bare CR in header value", Get(Host + "X-A: a\rb\r\n"), 400);
        Add("bare CR ends header line", Get(Host + "X-A: a\rX-B: b\r\n"), 400);
        Add("bare LF ends request line", "GET / HTTP/1.1\nHost: x\r\n\r\n" + Hidden, 400);
        Add("bare LF ends header line", Get("Host: x\nX-A: b\r\n"), 400);
        Add("bare LF ends head", "GET / HTTP/1.1\r\nHost: x\r\n\n" + Hidden, 400);
        Add("bare LF everywhere", "GET / HTTP/1.1\nHost: x\n\n" + Hidden, 400);
        Add("NUL in header value", Get(Host + "X-A: a\u0000b\r\n"), 400);
        Add("NUL in request line after method", Line("GET\u0000/ HTTP/1.1"), 400);
        Add("NUL in target", Line("GET /a\u0000b HTTP/1.1"), 400);
        Add("0x01 in header value", Get(Host + "X-A: a\u0001b\r\n"), 400);
        Add("DEL in header value", Get(Host + "X-A: a\u007Fb\r\n"), 400);
        Add("DEL in target", Line("GET /a\u007Fb HTTP/1.1"), 400);
        Add("HTAB as request-line separator", Line("GET\t/ HTTP/1.1"), 400);
        Add("double SP in request line", Line("GET  / HTTP/1.1"), 400);

        // 7. Host (RFC 9112 §3.2, RFC 9110 §7.2, RFC 3986 §3.2.2).
        Add("missing Host on HTTP/1.1", Get(""), 400);
        Add("two Host headers, different", Get("Host: x\r\nHost: y\r\n"), 400);
        Add("two Host headers, identical", Get("Host: x\r\nHost: x\r\n"), 400);
        foreach (var value in new[] { "a b", "exa mple.com", "x:abc", "user@host", "[::1", "host/path" })
        {
            Add($"invalid Host '{value}'", Get($"Host: {value}\r\n"), 400);
        }

        // 8. Chunked framing (RFC 9112 §7.1).
        Add("chunk size zz", Chunked("zz\r\nhello\r\n0\r\n\r\n"), 400);
        Add("chunk size 18 f's overflows", Chunked("ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 400);
        Add("chunk size wraps 64 bits to 5", Chunked("10000000000000005\r\nhello\r\n0\r\n\r\n"), 400);
        Add("junk after chunk size 5x", Chunked("5x\r\nhello\r\n0\r\n\r\n"), 400);
        Add("chunk size 0x5", Chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400);
        Add("chunk size -5", Chunked("-5\r\nhello\r\n0\r\n\r\n"), 400);
        Add("SP before chunk size", Chunked(" 5\r\nhello\r\n0\r\n\r\n"), 400);
        Add("empty chunk-size line", Chunked("\r\nhello\r\n0\r\n\r\n"), 400);
        Add("bare LF ends chunk extension", Chunked("5;a=b\nhello\r\n0\r\n\r\n"), 400);
        Add("bare CR in chunk extension", Chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), 400);
        Add("NUL in chunk extension", Chunked("5;a=\u0000\r\nhello\r\n0\r\n\r\n"), 400);
        Add("chunk extension over limit", Chunked("5;" + new string('e', 100) + "\r\nhello\r\n0\r\n\r\n"), 400, Limits.ShortChunkExtension);
        Add("no CRLF after chunk data", Chunked("5\r\nhelloXX0\r\n\r\n"), 400);
        Add("chunk data longer than its size", Chunked("3\r\nhello\r\n0\r\n\r\n"), 400);
        Add("bare LF after chunk data", Chunked("5\r\nhello\n0\r\n\r\n"), 400);
        Add("chunk-size line ends in bare LF", Chunked("5\nhello\r\n0\r\n\r\n"), 400);
        Add("last-chunk line ends in bare LF", Chunked("5\r\nhello\r\n0\n\r\n"), 400);
        Add("no empty line after last chunk (request parsed as trailer)", Chunked("5\r\nhello\r\n0\r\n"), 400);
        Add("trailer ends in bare LF", Chunked("0\r\nX-T: v\n\r\n"), 400);
        Add("trailer without colon", Chunked("0\r\nNoColon\r\n\r\n"), 400);
        Add("trailer obs-fold", Chunked("0\r\nX-T: v\r\n w\r\n\r\n"), 400);

        // 9. Size limits.
        Add("request line over MaxRequestLineSize", Line("GET /" + new string('a', 1000) + " HTTP/1.1"), 414, Limits.ShortRequestLine);
        Add("one header over MaxRequestHeadersTotalSize", Get(Host + "X-Big: " + new string('a', 2048) + "\r\n"), 431, Limits.SmallHeaderBlock);
        Add("many headers over MaxRequestHeadersTotalSize", Get(Host + Headers(40, 50)), 431, Limits.SmallHeaderBlock);
        Add("headers over MaxRequestHeaderCount", Get(Host + Headers(FewHeaders, 1)), 431, Limits.FewHeaders);
        Add("Content-Length over MaxRequestBodySize", Post("Content-Length: 101\r\n", new string('a', 101)), 413, Limits.SmallBody);
        Add("one chunk over MaxRequestBodySize", Chunked(ChunkOf(new string('a', 101)) + "0\r\n\r\n"), 413, Limits.SmallBody);
        Add("chunks totalling over MaxRequestBodySize", Chunked(ChunkOf(new string('a', 60)) + ChunkOf(new string('a', 60)) + "0\r\n\r\n"), 413, Limits.SmallBody);

        // 10. HTTP-version (RFC 9112 §2.3; RFC 9110 §15.6.6).
        foreach (var version in new[] { "HTTP/2.0", "HTTP/1.2", "HTTP/3.0", "HTTP/0.9" })
        {
            Add($"version {version}", Line("GET / " + version), 505);
        }

        foreach (var version in new[] { "HTTP/1", "http/1.1", "HTTP/1.1 ", "HTTP/11", "HTTP/1.01", "HTTP/1.1x" })
        {
            Add($"version '{version}'", Line("GET / " + version), 400);
        }

        Add("no version (HTTP/0.9 simple request)", "GET /\r\n" + Hidden, 400);

        // 12. Targets and methods the server must refuse (RFC 9112 §3.2, RFC 9110 §9.1).
        Add("GET * (asterisk-form without OPTIONS)", Line("GET * HTTP/1.1"), 400);
        Add("fragment in target", Line("GET /hit#x HTTP/1.1"), 400);
        Add("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n" + Hidden, 501);
        Add("unknown method FOO", Line("FOO / HTTP/1.1"), 501);
        Add("lowercase method get (methods are case-sensitive)", Line("get / HTTP/1.1"), 501);
        return t;
    }

    public static TheoryData<string, string, string[], Limits> Accepted()
    {
        var t = new TheoryData<string, string, string[], Limits>();
        void Add(string name, string request, string[] bodies, Limits limits = Limits.Default) => t.Add(name, request, bodies, limits);
        string[] hit = ["hit"];
        string[] hello = ["hello"];

        Add("leading empty line", "\r\n" + Hidden, hit);
        Add("two leading empty lines", "\r\n\r\n" + Hidden, hit);
        Add("OWS around Host value", "GET /hit HTTP/1.1\r\nHost:   x   \r\n\r\n", hit);
        Add("HTAB around Host value", "GET /hit HTTP/1.1\r\nHost:\tx\t\r\n\r\n", hit);
        Add("no OWS after colon", "GET /hit HTTP/1.1\r\nHost:x\r\n\r\n", hit);
        Add("header names are case-insensitive", "GET /hit HTTP/1.1\r\nhOST: x\r\n\r\n", hit);
        Add("empty field value", "GET /hit HTTP/1.1\r\nHost: x\r\nX-Empty:\r\n\r\n", hit);
        Add("obs-text in field value", "GET /hit HTTP/1.1\r\nHost: x\r\nX-A: caf\u00E9\r\n\r\n", hit);
        Add("Content-Length 0005", Post("Content-Length: 0005\r\n", "hello", hidden: false), hello);
        Add("Content-Length with OWS", Post("Content-Length:   5  \r\n", "hello", hidden: false), hello);
        Add("Content-Length 0", Post("Content-Length: 0\r\n", "", hidden: false), [""]);
        Add("lowercase content-length", Post("content-length: 5\r\n", "hello", hidden: false), hello);
        Add("absolute-form", "GET http://example.com/hit HTTP/1.1\r\nHost: example.com\r\n\r\n", hit);
        Add("absolute-form, Host differs (Host ignored)", "GET http://example.com/hit HTTP/1.1\r\nHost: other\r\n\r\n", hit);
        Add("absolute-form with port and query", "GET http://example.com:8080/hit?a=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", hit);
        Add("chunk extension name=value", Chunked("5;name=value\r\nhello\r\n0\r\n\r\n", hidden: false), hello);
        Add("chunk extension quoted value", Chunked("5;name=\"v; a\"\r\nhello\r\n0\r\n\r\n", hidden: false), hello);
        Add("chunk extension with BWS", Chunked("5 ; name = value\r\nhello\r\n0\r\n\r\n", hidden: false), hello);
        Add("chunk extension on last chunk", Chunked("5\r\nhello\r\n0;done\r\n\r\n", hidden: false), hello);
        Add("Transfer-Encoding: Chunked (case-insensitive)", Post("Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", hidden: false), hello);
        Add("uppercase hex chunk size", Chunked("A\r\n0123456789\r\n0\r\n\r\n", hidden: false), ["0123456789"]);
        Add("lowercase hex chunk size", Chunked("a\r\n0123456789\r\n0\r\n\r\n", hidden: false), ["0123456789"]);
        Add("chunk sizes with leading zeros", Chunked("005\r\nhello\r\n0000\r\n\r\n", hidden: false), hello);
        Add("several chunks", Chunked("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n", hidden: false), hello);
        Add("trailer then pipelined GET", Chunked("5\r\nhello\r\n0\r\nX-Trailer: v\r\n\r\n", hidden: true), ["hello", "hit"]);
        Add("two trailers then pipelined GET", Chunked("5\r\nhello\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n", hidden: true), ["hello", "hit"]);
        Add("Content-Length body then pipelined GET", Post("Content-Length: 5\r\n", "hello", hidden: true), ["hello", "hit"]);
        Add("request line exactly MaxRequestLineSize", LineOfLength(ShortRequestLine) + "\r\nHost: x\r\n\r\n", hit, Limits.ShortRequestLine);
        Add("headers exactly MaxRequestHeaderCount", "GET /hit HTTP/1.1\r\n" + Host + Headers(FewHeaders - 1, 1) + "\r\n", hit, Limits.FewHeaders);
        Add("Content-Length exactly MaxRequestBodySize", Post("Content-Length: 100\r\n", new string('a', 100), hidden: false), [new string('a', 100)], Limits.SmallBody);
        Add("chunked total exactly MaxRequestBodySize", Chunked(ChunkOf(new string('a', 50)) + ChunkOf(new string('a', 50)) + "0\r\n\r\n", hidden: false), [new string('a', 100)], Limits.SmallBody);
        Add("chunk extension under limit", Chunked("5;a=bcd\r\nhello\r\n0\r\n\r\n", hidden: false), hello, Limits.ShortChunkExtension);
        return t;
    }

    /// <summary>GET / with the given header lines (each ending CRLF), then the hidden request.</summary>
    private static string Get(string headers) => "GET / HTTP/1.1\r\n" + headers + "\r\n" + Hidden;

    /// <summary>The given request line with a valid Host, then the hidden request.</summary>
    private static string Line(string requestLine) => requestLine + "\r\n" + Host + "\r\n" + Hidden;

    /// <summary>POST /echo with the given extra header lines and raw body; by default the hidden request follows.</summary>
    private static string Post(string headers, string body, bool hidden = true) =>
        "POST /echo HTTP/1.1\r\n" + Host + headers + "\r\n" + body + (hidden ? Hidden : "");

    private static string Chunked(string body, bool hidden = true) => Post("Transfer-Encoding: chunked\r\n", body, hidden);

    /// <summary>One chunk (size line, data, CRLF) carrying <paramref name="data"/>.</summary>
    private static string ChunkOf(string data) => data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + data + "\r\n";

    /// <summary><paramref name="count"/> header lines X-Hn: with a value of <paramref name="valueLength"/> chars.</summary>
    private static string Headers(int count, int valueLength)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"X-H{i}: ").Append('v', valueLength).Append("\r\n");
        }

        return sb.ToString();
    }

    /// <summary>A <c>GET /hit?q=...</c> request line of exactly <paramref name="length"/> bytes, without CRLF.</summary>
    private static string LineOfLength(int length)
    {
        const string prefix = "GET /hit?q=";
        const string suffix = " HTTP/1.1";
        return prefix + new string('q', length - prefix.Length - suffix.Length) + suffix;
    }
}
