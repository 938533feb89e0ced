using static Sake.Runtime.Tests.Conformance.Requests;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Field-line syntax: field-name ":" OWS field-value OWS (RFC 9112 §5, RFC 9110 §5.1, §5.5, §5.6.2). No whitespace
/// before the colon (RFC 9112 §5.1 MUST reject), no obs-fold (§5.2: Sake rejects rather than unfolds).
/// </summary>
internal static class FieldCases
{
    public static void Add(CaseTable t)
    {
        t.Reject("RFC 9112 §5.1", "SP between Host and colon", Get("Host : x\r\n"), 400);
        t.Reject("RFC 9112 §5.1", "SP between name and colon", Get(Host + "X-A : y\r\n"), 400);
        t.Reject("RFC 9112 §5.1", "HTAB between name and colon", Get(Host + "X-A\t: y\r\n"), 400);
        t.Reject("RFC 9112 §5.2", "obs-fold with SP", Get(Host + "X-A: a\r\n b\r\n"), 400);
        t.Reject("RFC 9112 §5.2", "obs-fold with HTAB", Get(Host + "X-A: a\r\n\tb\r\n"), 400);
        t.Reject("RFC 9112 §5.2", "whitespace-only line inside the header block", Get(Host + "X-A: a\r\n \r\n"), 400);
        t.Reject("RFC 9112 §2.2", "whitespace before the first header line", Get(" X-A: a\r\n" + Host), 400);
        t.Reject("RFC 9112 §5", "header line without colon", Get(Host + "NoColon\r\n"), 400);
        t.Reject("RFC 9110 §5.1", "empty header name", Get(Host + ": y\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name Ho(st", Get(Host + "Ho(st: x\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name X Y", Get(Host + "X Y: z\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name quoted", Get(Host + "\"X\": y\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name X/Y", Get(Host + "X/Y: z\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name X@Y", Get(Host + "X@Y: z\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name X[Y]", Get(Host + "X[Y]: z\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name with byte 0xE9", Get(Host + "X\u00E9: y\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name with NUL", Get(Host + "X\u0000A: y\r\n"), 400);
        t.Reject("RFC 9110 §5.6.2", "header name with DEL", Get(Host + "X\u007FA: y\r\n"), 400);

        t.Accept("RFC 9110 §5.5", "OWS around Host value", "GET /hit HTTP/1.1\r\nHost:   x   \r\n\r\n", ["hit"]);
        t.Accept("RFC 9110 §5.5", "HTAB around Host value", "GET /hit HTTP/1.1\r\nHost:\tx\t\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §5.1", "no OWS after colon", "GET /hit HTTP/1.1\r\nHost:x\r\n\r\n", ["hit"]);
        t.Accept("RFC 9110 §5.1", "header names are case-insensitive", "GET /hit HTTP/1.1\r\nhOST: x\r\n\r\n", ["hit"]);
        t.Accept("RFC 9110 §5.5", "empty field value", Hit("X-Empty:\r\n"), ["hit"]);
        t.Accept("RFC 9110 §5.5", "obs-text in field value", Hit("X-A: caf\u00E9\r\n"), ["hit"]);
        t.Accept("RFC 9110 §5.5", "HTAB and SP inside a field value", Hit("X-A: a\t b\r\n"), ["hit"]);
        t.Accept("RFC 9110 §5.5", "colons inside a field value", Hit("X-A: a:b::c\r\n"), ["hit"]);
        t.Accept("RFC 9110 §5.3", "repeated ordinary field", Hit("X-A: 1\r\nX-A: 2\r\n"), ["hit"]);
        t.Accept("RFC 9110 §5.6.2", "field name of every tchar", Hit("!#$%&'*+-.^_`|~09azAZ: v\r\n"), ["hit"]);
    }
}
