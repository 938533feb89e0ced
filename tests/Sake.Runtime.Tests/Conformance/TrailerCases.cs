using static Sake.Runtime.Tests.Conformance.Requests;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// The trailer section after the last chunk (RFC 9112 §7.1.2): field lines with the header-field syntax, ended by an
/// empty line. Sake parses and discards them. Fields that frame, route or size a message cannot be processed after the
/// content (RFC 9110 §6.5.1); Sake refuses Content-Length, Transfer-Encoding and Host as trailers outright.
/// </summary>
internal static class TrailerCases
{
    public static void Add(CaseTable t)
    {
        t.Reject("RFC 9112 §7.1.2", "no empty line after last chunk (request parsed as trailer)", Chunked("5\r\nhello\r\n0\r\n"), 400);
        t.Reject("RFC 9112 §7.1.2", "trailer ends in bare LF", Chunked("0\r\nX-T: v\n\r\n"), 400);
        t.Reject("RFC 9112 §7.1.2", "trailer section ends in bare LF", Chunked("0\r\nX-T: v\r\n\n"), 400);
        t.Reject("RFC 9112 §7.1.2", "trailer without colon", Chunked("0\r\nNoColon\r\n\r\n"), 400);
        t.Reject("RFC 9112 §5.2", "trailer obs-fold", Chunked("0\r\nX-T: v\r\n w\r\n\r\n"), 400);
        t.Reject("RFC 9112 §5.1", "trailer with space before colon", Chunked("0\r\nX-T : v\r\n\r\n"), 400);
        t.Reject("RFC 9110 §5.1", "trailer with an empty name", Chunked("0\r\n: v\r\n\r\n"), 400);
        t.Reject("RFC 9110 §5.5", "NUL in a trailer value", Chunked("0\r\nX-T: a\u0000b\r\n\r\n"), 400);
        t.Reject("RFC 9110 §5.5", "bare CR in a trailer value", Chunked("0\r\nX-T: a\rb\r\n\r\n"), 400);
        t.Reject("RFC 9110 §6.5.1", "Content-Length as a trailer", Chunked("5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"), 400);
        t.Reject("RFC 9110 §6.5.1", "Transfer-Encoding as a trailer", Chunked("5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
        t.Reject("RFC 9110 §6.5.1", "Host as a trailer", Chunked("5\r\nhello\r\n0\r\nHost: y\r\n\r\n"), 400);
        t.Reject("RFC 9110 §6.5.1", "content-LENGTH as a trailer (names are case-insensitive)", Chunked("5\r\nhello\r\n0\r\ncontent-LENGTH: 5\r\n\r\n"), 400);
        t.Reject("RFC 9110 §6.5.1", "forbidden trailer after an allowed one", Chunked("5\r\nhello\r\n0\r\nX-A: 1\r\nHost: y\r\n\r\n"), 400);

        t.Accept("RFC 9112 §7.1.2", "trailer then pipelined GET", Chunked("5\r\nhello\r\n0\r\nX-Trailer: v\r\n\r\n", hidden: true), ["hello", "hit"]);
        t.Accept("RFC 9112 §7.1.2", "two trailers then pipelined GET", Chunked("5\r\nhello\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n", hidden: true), ["hello", "hit"]);
        t.Accept("RFC 9112 §7.1.2", "trailer with an empty value", Chunked("5\r\nhello\r\n0\r\nX-T:\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9110 §6.5.1", "trailer named like a forbidden one, longer (Content-Length-X)", Chunked("5\r\nhello\r\n0\r\nContent-Length-X: 1\r\nHosts: 2\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9110 §6.5.1", "trailer named like a forbidden one, shorter (Hos)", Chunked("5\r\nhello\r\n0\r\nHos: 1\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9110 §6.5", "a typical trailer (Server-Timing)", Chunked("5\r\nhello\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n", hidden: false), ["hello"]);
    }
}
