using static Sake.Runtime.Tests.Conformance.Requests;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Percent-encoding and UTF-8 in the path. pct-encoded = "%" HEXDIG HEXDIG (RFC 3986 §2.1); a path is decoded
/// exactly once (§2.4); the decoded bytes must be well-formed UTF-8, so overlong forms, surrogates, code points above
/// U+10FFFF and truncated sequences are refused (RFC 3629 §3, §10). An encoded "/" and encoded controls are refused
/// too: they would change the path's structure or smuggle a control past the raw-byte check.
/// </summary>
internal static class PathEncodingCases
{
    public static void Add(CaseTable t)
    {
        foreach (var encoded in new[] { "%", "%4", "%zz", "%G1", "%%41", "%4G", "%-1" })
        {
            t.Reject("RFC 3986 §2.1", $"invalid percent-encoding '{encoded}'", Line($"GET /a{encoded} HTTP/1.1"), 400);
        }

        foreach (var (name, encoded) in new[]
        {
            ("overlong '/' (2 bytes)", "%C0%AF"),
            ("overlong '.' '.'", "%C0%AE%C0%AE"),
            ("overlong '/' (3 bytes)", "%E0%80%AF"),
            ("overlong '/' (4 bytes)", "%F0%80%80%AF"),
            ("overlong NUL", "%C0%80"),
            ("UTF-16 surrogate", "%ED%A0%80"),
            ("code point above U+10FFFF", "%F4%90%80%80"),
            ("lone continuation byte", "%80"),
            ("truncated two-byte sequence", "%C3"),
            ("byte 0xFF", "%FF"),
            ("five-byte sequence", "%F8%88%80%80%80"),
        })
        {
            t.Reject("RFC 3629 §3", $"{name} {encoded} in path", Line($"GET /hit{encoded} HTTP/1.1"), 400);
        }

        t.Reject("RFC 3986 §2.2", "encoded '/' %2F in path", Line("GET /a%2Fhit HTTP/1.1"), 400);
        t.Reject("RFC 3986 §2.2", "encoded '/' %2f in path", Line("GET /a%2fhit HTTP/1.1"), 400);
        t.Reject("RFC 9110 §5.5", "encoded NUL in path", Line("GET /hit%00 HTTP/1.1"), 400);
        t.Reject("RFC 9110 §5.5", "encoded LF in path", Line("GET /hit%0A HTTP/1.1"), 400);
        t.Reject("RFC 9110 §5.5", "encoded CR LF in path", Line("GET /hit%0D%0A HTTP/1.1"), 400);
        t.Reject("RFC 9110 §5.5", "encoded DEL in path", Line("GET /hit%7F HTTP/1.1"), 400);

        t.Accept("RFC 3986 §2.1", "percent-encoded unreserved bytes decode", "GET /%68%69%74 HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
        t.Accept("RFC 3986 §2.1", "lowercase hex in percent-encoding", "GET /h%69t HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
        t.Accept("RFC 3986 §5.2.4", "dot segments removed", "GET /x/./../hit HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
        t.Exchange("RFC 3986 §2.4", "double-encoded path is decoded once (/%2568it is not /hit)", "GET /%2568it HTTP/1.1\r\nHost: x\r\n\r\n", ["404"], After.KeepsOpen, 0);
        t.Exchange("RFC 3629 §3", "well-formed UTF-8 in path is accepted", "GET /caf%C3%A9%F0%9F%8D%B6 HTTP/1.1\r\nHost: x\r\n\r\n", ["404"], After.KeepsOpen, 0);
    }
}
