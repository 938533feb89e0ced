using static Sake.Runtime.Tests.Conformance.Requests;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Persistence and pipelining (RFC 9112 §9). HTTP/1.1 is persistent unless either side says "close" (§9.3); HTTP/1.0
/// only with "keep-alive" (§9.3, Appendix C.2.2), which the response then echoes. Pipelined requests are answered in
/// order (§9.3.2). After "close" the server processes nothing more on the connection (§9.6); a bad request in a
/// pipeline is answered after the good ones before it, with 400 and Connection: close, and nothing after it is served.
/// </summary>
internal static class ConnectionCases
{
    public static void Add(CaseTable t)
    {
        // Persistence (§9.3).
        t.Exchange("RFC 9112 §9.3", "HTTP/1.1 is persistent by default", Hit(), ["200|hit"], After.KeepsOpen, 1);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.1 Connection: keep-alive stays open", Hit("Connection: keep-alive\r\n"), ["200|hit"], After.KeepsOpen, 1);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.1 with an unrelated Connection option stays open", Hit("Connection: x-custom\r\n"), ["200|hit"], After.KeepsOpen, 1);
        t.Exchange("RFC 9112 §9.6", "Connection: close is answered with close, then the server closes", Hit("Connection: close\r\n"), ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.6", "Connection: CLOSE (options are case-insensitive)", Hit("Connection: CLOSE\r\n"), ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.6", "close among other Connection options", Hit("Connection: keep-alive, close\r\n"), ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.6", "close in a second Connection field line", Hit("Connection: x-a\r\nConnection: close\r\n"), ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.6", "a request after Connection: close is not processed", Hit("Connection: close\r\n") + Hidden, ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.6", "a body after Connection: close is read, the request after it is not", Post("Connection: close\r\nContent-Length: 5\r\n", "hello"), ["200|hello"], After.Closes, 0);

        // HTTP/1.0 (§9.3; RFC 9112 Appendix C.2.2).
        t.Exchange("RFC 9112 §9.3", "HTTP/1.0 closes by default", "GET /hit HTTP/1.0\r\n\r\n" + Hidden, ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.0 keep-alive is echoed and kept", "GET /hit HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", ["200|hit|Connection: keep-alive"], After.KeepsOpen, 1);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.0 Keep-Alive (case-insensitive)", "GET /hit HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", ["200|hit|Connection: keep-alive"], After.KeepsOpen, 1);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.0 keep-alive POST with a body", "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello", ["200|hello|Connection: keep-alive"], After.KeepsOpen, 0);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.0 keep-alive then close wins", "GET /hit HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n" + Hidden, ["200|hit"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3", "HTTP/1.0 keep-alive, then an HTTP/1.0 request without it", "GET /hit HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /hit HTTP/1.0\r\n\r\n" + Hidden, ["200|hit", "200|hit"], After.Closes, 2);

        // Pipelining (§9.3.2).
        t.Accept("RFC 9112 §9.3.2", "three GETs in one packet", Hidden + Hidden + Hidden, ["hit", "hit", "hit"]);
        t.Accept("RFC 9112 §9.3.2", "GET, POST with a body, GET in one packet", Hidden + Post("Content-Length: 5\r\n", "hello"), ["hit", "hello", "hit"]);
        t.Accept("RFC 9112 §9.3.2", "chunked POST between two GETs", Hidden + Chunked("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n"), ["hit", "hello", "hit"]);
        t.Exchange("RFC 9112 §9.3.2", "HEAD then GET pipelined", "HEAD /hit HTTP/1.1\r\nHost: x\r\n\r\n" + Hidden, ["HEAD 200", "200|hit"], After.KeepsOpen, 2);
        t.Exchange("RFC 9112 §9.3.2", "pipeline with a bad request line in the middle", Hidden + Line("GET /a\u0000b HTTP/1.1"), ["200|hit", "400"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3.2", "pipeline with a bad header in the middle", Hidden + Get(Host + "X-A : y\r\n"), ["200|hit", "400"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3.2", "pipeline with CL+TE in the middle", Hidden + Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), ["200|hit", "400"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3.2", "pipeline with a bad chunked body in the middle", Hidden + Chunked("5x\r\nhello\r\n0\r\n\r\n"), ["200|hit", "400"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3.2", "pipeline with an unknown method in the middle", Hidden + Line("FOO / HTTP/1.1"), ["200|hit", "501"], After.Closes, 1);
        t.Exchange("RFC 9112 §9.3.2", "two good requests, then an HTTP/2.0 one", Hidden + Hidden + Line("GET /hit HTTP/2.0"), ["200|hit", "200|hit", "505"], After.Closes, 2);
    }
}
