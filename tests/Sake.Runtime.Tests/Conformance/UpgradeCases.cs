using static Sake.Runtime.Tests.Conformance.Requests;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Upgrade (RFC 9110 §7.8): a server MAY ignore it, and Sake implements no upgrade (no WebSocket, no h2c), so the
/// request is served as plain HTTP/1.1 and the connection stays HTTP/1.1: the bytes after the request are parsed as the
/// next HTTP/1.1 request, never handed to another protocol. The HTTP/2 connection preface is answered 505.
/// </summary>
internal static class UpgradeCases
{
    public static void Add(CaseTable t)
    {
        t.Accept("RFC 9110 §7.8", "Upgrade: websocket is ignored", Hit("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n") + Hidden, ["hit", "hit"]);
        t.Accept("RFC 9110 §7.8", "Upgrade: h2c is ignored", Hit("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n") + Hidden, ["hit", "hit"]);
        t.Accept("RFC 9110 §7.8", "Upgrade without Connection: Upgrade is ignored", Hit("Upgrade: websocket\r\n"), ["hit"]);
        t.Accept("RFC 9110 §7.8", "Upgrade on a POST with a body: body framed, next request parsed as HTTP/1.1", Post("Connection: Upgrade\r\nUpgrade: foo/2\r\nContent-Length: 5\r\n", "hello"), ["hello", "hit"]);
        t.Exchange("RFC 9110 §7.8", "Upgrade on HTTP/1.0 is ignored", "GET /hit HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + Hidden, ["200|hit"], After.Closes, 1);
        t.Reject("RFC 9113 §3.4", "HTTP/2 connection preface (prior knowledge) on HTTP/1.1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + Hidden, 505);
    }
}
