using static Sake.Runtime.Tests.Conformance.Requests;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// NUL, other C0 controls, DEL and non-ASCII bytes where the grammar has no room for them: field values allow
/// HTAB, SP, VCHAR and obs-text only (RFC 9110 §5.5, which lets a recipient replace CR, LF or NUL with SP; Sake
/// rejects); a request-target is URI characters only (RFC 9112 §3.2, RFC 3986 §2).
/// </summary>
internal static class ControlCharacterCases
{
    public static void Add(CaseTable t)
    {
        foreach (var (name, b) in new[] { ("NUL", '\u0000'), ("0x01", '\u0001'), ("VT", '\u000B'), ("FF", '\u000C'), ("ESC", '\u001B'), ("0x1F", '\u001F'), ("DEL", '\u007F') })
        {
            t.Reject("RFC 9110 §5.5", $"{name} in header value", Get(Host + "X-A: a" + b + "b\r\n"), 400);
        }

        t.Reject("RFC 9110 §5.5", "NUL at the end of the Host value", Get("Host: x\u0000\r\n"), 400);
        t.Reject("RFC 9112 §3", "NUL in request line after method", Line("GET\u0000/ HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "NUL in target", Line("GET /a\u0000b HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "DEL in target", Line("GET /a\u007Fb HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "HTAB in target", Line("GET /a\tb HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "0x1F in target", Line("GET /a\u001Fb HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "byte 0xE9 in target", Line("GET /caf\u00E9 HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "raw UTF-8 in target", Line("GET /caf\u00C3\u00A9 HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "byte 0xFF in query", Line("GET /hit?a=\u00FF HTTP/1.1"), 400);

        // Visible ASCII that RFC 3986 §2 leaves out of URIs: clients must percent-encode them. Sake holds clients to
        // that except where browsers send them raw (the WHATWG URL standard): "|" and "^" anywhere, and also "\", "`",
        // "{" and "}" in a query. None of them can change where a request, its path or its query ends.
        foreach (char c in "\"<>\\`{}")
        {
            t.Reject("RFC 3986 §2.2", $"'{c}' in path", Line($"GET /a{c}b HTTP/1.1"), 400);
        }

        foreach (char c in "\"<>")
        {
            t.Reject("RFC 3986 §2.2", $"'{c}' in query", Line($"GET /hit?a={c} HTTP/1.1"), 400);
        }

        t.Accept("RFC 3986 §2.2", "browser-raw \\^`{|} in a query", "GET /hit?a={x}|y^z`w\\v HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
        t.Accept("RFC 3986 §2.2", "browser-raw | and ^ in a path", "GET /echo-path/a|b^c HTTP/1.1\r\nHost: x\r\n\r\n", ["/echo-path/a|b^c"]);

        t.Accept("RFC 3986 §2.2", "every sub-delim and gen-delim allowed in a query", "GET /hit?!$&'()*+,;=:@/?[] HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
    }
}
