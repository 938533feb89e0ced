using static Sake.Runtime.Tests.Conformance.Requests;
using Limits = Sake.Runtime.Tests.Conformance.StrictParsingTests.Limits;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Size limits, each with its status: request line 414 (RFC 9110 §15.5.15; RFC 9112 §3 says a server that receives a
/// longer method than it implements SHOULD 501 and a longer target 414: Sake counts the whole line), header block and
/// header count 431 (RFC 6585 §5), body 413 (RFC 9110 §15.5.14), also for a chunked body and before the body is read.
/// Trailers count against the header limits. Every limit is inclusive: exactly at the limit is accepted.
/// </summary>
internal static class LimitCases
{
    public static void Add(CaseTable t)
    {
        t.Reject("RFC 9110 §15.5.15", "request line over MaxRequestLineSize", Line("GET /" + new string('a', 1000) + " HTTP/1.1"), 414, Limits.ShortRequestLine);
        t.Reject("RFC 9110 §15.5.15", "request line one byte over MaxRequestLineSize", LineOfLength(ShortRequestLine + 1) + "\r\n" + Host + "\r\n" + Hidden, 414, Limits.ShortRequestLine);
        t.Reject("RFC 9110 §15.5.15", "request line without an end, over the limit", "GET /" + new string('a', 1000), 414, Limits.ShortRequestLine);
        t.Reject("RFC 9112 §3", "long method over MaxRequestLineSize", Line(new string('M', 1000) + " / HTTP/1.1"), 414, Limits.ShortRequestLine);
        t.Accept("RFC 9110 §15.5.15", "request line exactly MaxRequestLineSize", LineOfLength(ShortRequestLine) + "\r\nHost: x\r\n\r\n", ["hit"], Limits.ShortRequestLine);

        t.Reject("RFC 6585 §5", "one header over MaxRequestHeadersTotalSize", Get(Host + "X-Big: " + new string('a', 2048) + "\r\n"), 431, Limits.SmallHeaderBlock);
        t.Reject("RFC 6585 §5", "many headers over MaxRequestHeadersTotalSize", Get(Host + Headers(40, 50)), 431, Limits.SmallHeaderBlock);
        t.Reject("RFC 6585 §5", "header block one byte over MaxRequestHeadersTotalSize", HeaderBlockOfLength(SmallHeaderBlock + 1) + Hidden, 431, Limits.SmallHeaderBlock);
        t.Reject("RFC 6585 §5", "headers over MaxRequestHeaderCount", Get(Host + Headers(FewHeaders, 1)), 431, Limits.FewHeaders);
        t.Accept("RFC 6585 §5", "header block exactly MaxRequestHeadersTotalSize", HeaderBlockOfLength(SmallHeaderBlock), ["hit"], Limits.SmallHeaderBlock);
        t.Accept("RFC 6585 §5", "headers exactly MaxRequestHeaderCount", "GET /hit HTTP/1.1\r\n" + Host + Headers(FewHeaders - 1, 1) + "\r\n", ["hit"], Limits.FewHeaders);

        t.Reject("RFC 9110 §15.5.14", "Content-Length over MaxRequestBodySize", Post("Content-Length: 101\r\n", new string('a', 101)), 413, Limits.SmallBody);
        t.Reject("RFC 9110 §15.5.14", "Content-Length over MaxRequestBodySize, answered before the body is sent", Post("Content-Length: 101\r\n", ""), 413, Limits.SmallBody);
        t.Reject("RFC 9110 §15.5.14", "18-digit Content-Length is over the default limit", Post("Content-Length: 999999999999999999\r\n", "hello"), 413);
        t.Reject("RFC 9110 §15.5.14", "one chunk over MaxRequestBodySize", Chunked(ChunkOf(new string('a', 101)) + "0\r\n\r\n"), 413, Limits.SmallBody);
        t.Reject("RFC 9110 §15.5.14", "chunks totalling over MaxRequestBodySize", Chunked(ChunkOf(new string('a', 60)) + ChunkOf(new string('a', 60)) + "0\r\n\r\n"), 413, Limits.SmallBody);
        t.Reject("RFC 9110 §15.5.14", "chunk size over MaxRequestBodySize, data never sent", Chunked("fffffff\r\n"), 413, Limits.SmallBody);
        t.Accept("RFC 9110 §15.5.14", "Content-Length exactly MaxRequestBodySize", Post("Content-Length: 100\r\n", new string('a', 100), hidden: false), [new string('a', 100)], Limits.SmallBody);
        t.Accept("RFC 9110 §15.5.14", "chunked total exactly MaxRequestBodySize", Chunked(ChunkOf(new string('a', 50)) + ChunkOf(new string('a', 50)) + "0\r\n\r\n", hidden: false), [new string('a', 100)], Limits.SmallBody);

        t.Reject("RFC 6585 §5", "trailers over MaxRequestHeaderCount", Chunked("5\r\nhello\r\n0\r\n" + Headers(FewHeaders + 1, 1) + "\r\n"), 431, Limits.FewHeaders);
        t.Reject("RFC 6585 §5", "trailer section over MaxRequestHeadersTotalSize", Chunked("5\r\nhello\r\n0\r\nX-T: " + new string('t', 2048) + "\r\n\r\n"), 431, Limits.SmallHeaderBlock);
    }
}
