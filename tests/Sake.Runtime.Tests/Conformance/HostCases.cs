using static Sake.Runtime.Tests.Conformance.Requests;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Host: an HTTP/1.1 request without one, with more than one, or with an invalid value is 400 (RFC 9112 §3.2, MUST).
/// The value is uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2, §3.2.3).
/// </summary>
internal static class HostCases
{
    public static void Add(CaseTable t)
    {
        t.Reject("RFC 9112 §3.2", "missing Host on HTTP/1.1", Get(""), 400);
        t.Reject("RFC 9112 §3.2", "two Host headers, different", Get("Host: x\r\nHost: y\r\n"), 400);
        t.Reject("RFC 9112 §3.2", "two Host headers, identical", Get("Host: x\r\nHost: x\r\n"), 400);
        t.Reject("RFC 9112 §3.2", "two Host headers, differing in case only", Get("Host: x\r\nhost: x\r\n"), 400);
        t.Reject("RFC 9112 §3.2", "Host with an empty value (http URIs have an authority)", Get("Host:\r\n"), 400);
        foreach (var value in new[] { "a b", "exa mple.com", "x:abc", "user@host", "[::1", "host/path", "x, y", "x:123456", "x:8a", "[::1]x", "http://x", "x?y", "x#y", "[zz]" })
        {
            t.Reject("RFC 9110 §7.2", $"invalid Host '{value}'", Get($"Host: {value}\r\n"), 400);
        }

        t.Reject("RFC 9112 §3.2", "invalid Host on HTTP/1.0 is still invalid", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n" + Hidden, 400);

        foreach (var value in new[] { "x:8080", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8080", "my_host.example", "x:" })
        {
            t.Accept("RFC 3986 §3.2.2", $"Host '{value}'", $"GET /hit HTTP/1.1\r\nHost: {value}\r\n\r\n", ["hit"]);
        }
    }
}
