using static Sake.Runtime.Tests.Conformance.Requests;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// CRLF, bare CR, bare LF and empty lines around a request (RFC 9112 §2.2). The RFC lets a recipient accept a bare
/// LF as a line terminator; Sake does not. It must ignore at least one empty line before a request; Sake ignores any
/// number of CRLF pairs there, and nothing else.
/// </summary>
internal static class LineEndingCases
{
    public static void Add(CaseTable t)
    {
        t.Reject("RFC 9112 §2.2", "bare CR in target", Line("GET /a\rb HTTP/1.1"), 400);
        t.Reject("RFC 9112 §2.2", "bare CR ends request line", "GET / HTTP/1.1\rHost: x\r\n\r\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.2", "bare CR in header value", Get(Host + "X-A: a\rb\r\n"), 400);
        t.Reject("RFC 9112 §2.2", "bare CR ends header line", Get(Host + "X-A: a\rX-B: b\r\n"), 400);
        t.Reject("RFC 9112 §2.2", "bare CR in header name", Get(Host + "X\rA: b\r\n"), 400);
        t.Reject("RFC 9112 §2.2", "CR CR LF ends header line", Get(Host + "X-A: a\r\r\n"), 400);
        t.Reject("RFC 9112 §2.2", "bare LF ends request line", "GET / HTTP/1.1\nHost: x\r\n\r\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.2", "bare LF ends header line", Get("Host: x\nX-A: b\r\n"), 400);
        t.Reject("RFC 9112 §2.2", "bare LF ends head", "GET / HTTP/1.1\r\nHost: x\r\n\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.2", "bare LF everywhere", "GET / HTTP/1.1\nHost: x\n\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.2", "leading bare LF before the request line", "\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.2", "leading CR CR LF before the request line", "\r\r\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.2", "leading LF CR LF before the request line", "\n\r\n" + Hidden, 400);

        t.Accept("RFC 9112 §2.2", "leading empty line", "\r\n" + Hidden, ["hit"]);
        t.Accept("RFC 9112 §2.2", "two leading empty lines", "\r\n\r\n" + Hidden, ["hit"]);
        t.Accept("RFC 9112 §2.2", "extra CRLF after a body, before the next request", Post("Content-Length: 5\r\n", "hello\r\n"), ["hello", "hit"]);
        t.Accept("RFC 9112 §2.2", "extra CRLF after a chunked body", Chunked("5\r\nhello\r\n0\r\n\r\n\r\n"), ["hello", "hit"]);
    }
}
