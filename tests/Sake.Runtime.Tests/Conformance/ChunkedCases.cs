using static Sake.Runtime.Tests.Conformance.Requests;
using Limits = Sake.Runtime.Tests.Conformance.StrictParsingTests.Limits;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// The chunked coding (RFC 9112 §7.1): chunk-size = 1*HEXDIG with no sign, prefix or overflow; each chunk's data is
/// followed by exactly CRLF; chunk extensions follow the grammar of §7.1.1 to the letter (token names, token or
/// quoted-string values, BWS only around ";" and "=") and are capped, because a lenient extension parser is what
/// CVE-2025-55315 (a bare LF inside an extension) exploited.
/// </summary>
internal static class ChunkedCases
{
    public static void Add(CaseTable t)
    {
        // chunk-size (§7.1).
        t.Reject("RFC 9112 §7.1", "chunk size zz", Chunked("zz\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk size 18 f's overflows", Chunked("ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk size wraps 64 bits to 5", Chunked("10000000000000005\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "junk after chunk size 5x", Chunked("5x\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk size 0x5", Chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk size -5", Chunked("-5\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk size +5", Chunked("+5\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "SP before chunk size", Chunked(" 5\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "NUL after chunk size", Chunked("5\u0000\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "empty chunk-size line", Chunked("\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk-size line ends in bare LF", Chunked("5\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "last-chunk line ends in bare LF", Chunked("5\r\nhello\r\n0\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk-size line ends in bare CR", Chunked("5\rhello\r\n0\r\n\r\n"), 400);

        // chunk-data CRLF (§7.1).
        t.Reject("RFC 9112 §7.1", "no CRLF after chunk data", Chunked("5\r\nhelloXX0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk data longer than its size", Chunked("3\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "chunk data shorter than its size", Chunked("5\r\nhel\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "bare LF after chunk data", Chunked("5\r\nhello\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1", "bare CR after chunk data", Chunked("5\r\nhello\r0\r\n\r\n"), 400);

        t.Accept("RFC 9112 §7.1", "uppercase hex chunk size", Chunked("A\r\n0123456789\r\n0\r\n\r\n", hidden: false), ["0123456789"]);
        t.Accept("RFC 9112 §7.1", "lowercase hex chunk size", Chunked("a\r\n0123456789\r\n0\r\n\r\n", hidden: false), ["0123456789"]);
        t.Accept("RFC 9112 §7.1", "chunk sizes with leading zeros", Chunked("005\r\nhello\r\n0000\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1", "several chunks", Chunked("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1", "only the last chunk (empty body)", Chunked("0\r\n\r\n", hidden: true), ["", "hit"]);
        t.Accept("RFC 9112 §7.1", "chunk data containing CRLF and a request line", Chunked(ChunkOf(Hidden) + "0\r\n\r\n", hidden: false), [Hidden]);

        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (§7.1.1).
        t.Reject("RFC 9112 §7.1.1", "bare LF ends chunk extension", Chunked("5;a=b\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "bare LF after extension name (CVE-2025-55315 shape)", Chunked("5;a\nX\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "bare LF inside a quoted extension value", Chunked("5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "bare CR in chunk extension", Chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "NUL in chunk extension", Chunked("5;a=\u0000\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "control byte in a quoted extension value", Chunked("5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "whitespace after chunk size without ';'", Chunked("5 \r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "junk after chunk size and BWS", Chunked("5 x\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "empty extension name", Chunked("5;\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "extension without a name", Chunked("5;=v\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "extension with an empty value", Chunked("5;a=\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "extension name that is not a token", Chunked("5;a(b)\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "SP inside an extension name", Chunked("5;a b\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "SP inside an unquoted extension value", Chunked("5;a=b c\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "extension value a=b=c", Chunked("5;a=b=c\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "unterminated quoted extension value", Chunked("5;a=\"x\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "junk after a quoted extension value", Chunked("5;a=\"x\"y\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "trailing whitespace after an extension", Chunked("5;a=b \r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.1", "chunk extension over limit", Chunked("5;" + new string('e', 100) + "\r\nhello\r\n0\r\n\r\n"), 400, Limits.ShortChunkExtension);
        t.Reject("RFC 9112 §7.1.1", "long chunk extension over the default limit", Chunked("5;a=\"" + new string('e', 20_000) + "\"\r\nhello\r\n0\r\n\r\n"), 400);

        t.Accept("RFC 9112 §7.1.1", "chunk extension name only", Chunked("5;name\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension name=value", Chunked("5;name=value\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension quoted value", Chunked("5;name=\"v; a\"\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension quoted value with quoted-pair", Chunked("5;a=\"x\\\"y\\\\\"\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension quoted empty value", Chunked("5;a=\"\"\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension with BWS", Chunked("5 ; name = value\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension with HTAB BWS", Chunked("5\t;\ta\t=\t\"b\"\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "several chunk extensions", Chunked("5;a=1;b;c=\"3\" ;d\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension on last chunk", Chunked("5\r\nhello\r\n0;done\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §7.1.1", "chunk extension under limit", Chunked("5;a=bcd\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"], Limits.ShortChunkExtension);
    }
}
