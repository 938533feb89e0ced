using static Sake.Runtime.Tests.Conformance.Requests;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Expect (RFC 9110 §10.1.1): 100-continue is the only expectation; anything else gets 417 (the RFC's MAY, taken).
/// 100 Continue is sent when the handler reads the body; a handler that answers without reading it gets the
/// connection closed after its response, since the client may or may not send the body. HTTP/1.0 requests' 100-continue
/// is ignored (MUST).
/// </summary>
internal static class ExpectCases
{
    public static void Add(CaseTable t)
    {
        t.Reject("RFC 9110 §10.1.1", "unknown expectation", Post("Expect: foo\r\nContent-Length: 5\r\n", "hello"), 417);
        t.Reject("RFC 9110 §10.1.1", "100-continue listed with an unknown expectation", Post("Expect: 100-continue, foo\r\nContent-Length: 5\r\n", "hello"), 417);
        t.Reject("RFC 9110 §10.1.1", "100-continue with a parameter", Post("Expect: 100-continue;a=b\r\nContent-Length: 5\r\n", "hello"), 417);
        t.Reject("RFC 9110 §10.1.1", "empty Expect", Post("Expect:\r\nContent-Length: 5\r\n", "hello"), 417);
        t.Reject("RFC 9110 §10.1.1", "unknown expectation on a GET", Get(Host + "Expect: 200-ok\r\n"), 417);

        t.Exchange("RFC 9110 §10.1.1", "100-continue, body read: 100 then 200", Post("Expect: 100-continue\r\nContent-Length: 5\r\n", "hello", hidden: false), ["100", "200|hello"], After.KeepsOpen, 0);
        t.Exchange("RFC 9110 §10.1.1", "100-Continue (case-insensitive)", Post("Expect: 100-Continue\r\nContent-Length: 5\r\n", "hello", hidden: false), ["100", "200|hello"], After.KeepsOpen, 0);
        t.Exchange("RFC 9110 §10.1.1", "100-continue with a chunked body", Post("Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", hidden: false), ["100", "200|hello"], After.KeepsOpen, 0);
        t.Exchange("RFC 9110 §10.1.1", "100-continue on a request without content", Hit("Expect: 100-continue\r\n"), ["200|hit"], After.KeepsOpen, 1);
        t.Exchange("RFC 9110 §10.1.1", "100-continue, body never read: final status, then close", "POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n", ["200|ignored"], After.Closes, 0);
        t.Exchange("RFC 9110 §10.1.1", "100-continue on HTTP/1.0 is ignored", "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", ["200|hello"], After.Closes, 0);
    }
}
