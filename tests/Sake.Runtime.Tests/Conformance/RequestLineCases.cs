using static Sake.Runtime.Tests.Conformance.Requests;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>Request-line syntax: separators, method tokens, HTTP-version (RFC 9112 §3, §2.3; RFC 9110 §2.5, §9.1).</summary>
internal static class RequestLineCases
{
    public static void Add(CaseTable t)
    {
        // request-line = method SP request-target SP HTTP-version: exactly one SP, nothing else (RFC 9112 §3).
        t.Reject("RFC 9112 §3", "HTAB as request-line separator", Line("GET\t/ HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3", "double SP in request line", Line("GET  / HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3", "SP before the method", Line(" GET / HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3", "method only", Line("GET"), 400);
        t.Reject("RFC 9112 §3", "no target (GET HTTP/1.1)", Line("GET HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3", "SP in target splits it", Line("GET /a b HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3", "whitespace-only request line", " \r\n" + Hidden, 400);

        // method = token; methods are case-sensitive; a token Sake does not implement is 501 (RFC 9112 §3.1, RFC 9110 §9.1).
        t.Reject("RFC 9112 §3.1", "method G(ET", Line("G(ET / HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.1", "method GE T", Line("GE T / HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.1", "method with byte 0xC9", Line("G\u00C9T / HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.1", "method with DEL", Line("GE\u007FT / HTTP/1.1"), 400);
        t.Reject("RFC 9110 §9.1", "unknown method FOO", Line("FOO / HTTP/1.1"), 501);
        t.Reject("RFC 9110 §9.1", "lowercase method get (methods are case-sensitive)", Line("get / HTTP/1.1"), 501);
        t.Reject("RFC 9110 §9.1", "extension method M-SEARCH (valid token, not implemented)", Line("M-SEARCH / HTTP/1.1"), 501);
        t.Reject("RFC 9110 §9.1", "method of every tchar", Line("!#$%&'*+-.^_`|~ / HTTP/1.1"), 501);

        // HTTP-version = HTTP-name "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3); other majors are 505 (RFC 9110 §15.6.6).
        foreach (var version in new[] { "HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/9.9" })
        {
            t.Reject("RFC 9110 §15.6.6", $"version {version}", Line("GET / " + version), 505);
        }

        // Sake implements exactly 1.0 and 1.1 and refuses a higher minor (see docs/conformance.md).
        foreach (var version in new[] { "HTTP/1.2", "HTTP/1.9" })
        {
            t.Reject("RFC 9110 §2.5", $"version {version}", Line("GET / " + version), 505);
        }

        foreach (var version in new[] { "HTTP/1", "http/1.1", "HTTP/1.1 ", "HTTP/11", "HTTP/1.01", "HTTP/1.1x", "HTTP/2", "HTTP/ 1.1", "HTTP/1.1\t", "HTTP/a.b", "HTTPS/1.1" })
        {
            t.Reject("RFC 9112 §2.3", $"version '{version}'", Line("GET / " + version), 400);
        }

        t.Reject("RFC 9112 §2.3", "no version (HTTP/0.9 simple request)", "GET /\r\n" + Hidden, 400);
        t.Reject("RFC 9112 §2.3", "SP between HTTP and the slash", Line("GET / HTTP /1.1"), 400);

        t.Accept("RFC 9112 §2.3", "HTTP/1.0 request line with Host", "GET /hit HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", ["hit"]);
    }
}
