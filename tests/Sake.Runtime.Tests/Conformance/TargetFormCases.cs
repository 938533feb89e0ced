using static Sake.Runtime.Tests.Conformance.Requests;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// The four forms of request-target (RFC 9112 §3.2): origin-form for ordinary requests, absolute-form (a server MUST
/// accept it, and uses its authority instead of Host, §3.2.2), authority-form only with CONNECT (§3.2.3, which Sake
/// does not implement), asterisk-form only with OPTIONS (§3.2.4). A fragment is never part of a request-target.
/// </summary>
internal static class TargetFormCases
{
    public static void Add(CaseTable t)
    {
        // origin-form = absolute-path [ "?" query ] (§3.2.1).
        t.Reject("RFC 9112 §3.2.1", "origin-form without the leading slash", Line("GET hit HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.1", "query without a path", Line("GET ?a=1 HTTP/1.1"), 400);
        t.Accept("RFC 9112 §3.2.1", "empty query", "GET /hit? HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.1", "query with '?' and '/' inside", "GET /hit?a=/b?c HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.1", "encoded '#' in the query", "GET /hit?a=%23 HTTP/1.1\r\nHost: x\r\n\r\n", ["hit"]);

        // Fragments are client-side only; "#" cannot appear in a request-target (§3.2, RFC 9110 §4.2.5).
        t.Reject("RFC 9112 §3.2", "fragment in target", Line("GET /hit#x HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "empty fragment in target", Line("GET /hit# HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "fragment after the query", Line("GET /hit?a=1#x HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2", "fragment in absolute-form", Line("GET http://x/hit#f HTTP/1.1"), 400);

        // absolute-form (§3.2.2): accepted; its authority wins over Host (RFC: MUST ignore Host). Only http(s).
        t.Accept("RFC 9112 §3.2.2", "absolute-form", "GET http://example.com/hit HTTP/1.1\r\nHost: example.com\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form, Host differs (Host ignored)", "GET http://example.com/hit HTTP/1.1\r\nHost: other\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form with port and query", "GET http://example.com:8080/hit?a=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form https", "GET https://example.com/hit HTTP/1.1\r\nHost: example.com\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form scheme and host are case-insensitive", "GET HTTP://EXAMPLE.COM/hit HTTP/1.1\r\nHost: example.com\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form with an empty path is /", "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", ["root"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form with an IPv6 literal", "GET http://[::1]:80/hit HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", ["hit"]);
        t.Accept("RFC 9112 §3.2.2", "absolute-form with dot segments", "GET http://example.com/x/../hit HTTP/1.1\r\nHost: example.com\r\n\r\n", ["hit"]);
        t.Reject("RFC 9112 §3.2", "absolute-form still needs Host on HTTP/1.1", "GET http://example.com/hit HTTP/1.1\r\n\r\n" + Hidden, 400);
        t.Reject("RFC 9112 §3.2", "absolute-form with an invalid Host value", "GET http://example.com/hit HTTP/1.1\r\nHost: a b\r\n\r\n" + Hidden, 400);
        t.Reject("RFC 9110 §4.2.4", "absolute-form with userinfo", Line("GET http://user@example.com/hit HTTP/1.1"), 400);
        t.Reject("RFC 9110 §4.2.1", "absolute-form with an empty host", Line("GET http:///hit HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.2", "absolute-form with a non-http scheme", Line("GET ftp://example.com/hit HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.2", "absolute-form missing '//'", Line("GET http:/hit HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.2", "absolute-form with an invalid port", Line("GET http://example.com:8a/hit HTTP/1.1"), 400);

        // authority-form (§3.2.3): only for CONNECT, which Sake does not implement (RFC 9110 §9.3.6).
        t.Reject("RFC 9110 §9.3.6", "CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n" + Hidden, 501);
        t.Reject("RFC 9112 §3.2.3", "authority-form with GET", "GET example.com:80 HTTP/1.1\r\nHost: example.com:80\r\n\r\n" + Hidden, 400);
        t.Reject("RFC 9112 §3.2.3", "authority-form with OPTIONS", "OPTIONS example.com:80 HTTP/1.1\r\nHost: example.com:80\r\n\r\n" + Hidden, 400);

        // asterisk-form (§3.2.4): only OPTIONS, and only a lone "*".
        t.Reject("RFC 9112 §3.2.4", "GET * (asterisk-form without OPTIONS)", Line("GET * HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.4", "POST *", Line("POST * HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.4", "HEAD *", Line("HEAD * HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.4", "OPTIONS **", Line("OPTIONS ** HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.4", "OPTIONS *?a (asterisk-form has no query)", Line("OPTIONS *?a HTTP/1.1"), 400);
        t.Reject("RFC 9112 §3.2.4", "OPTIONS */", Line("OPTIONS */ HTTP/1.1"), 400);
        t.Exchange("RFC 9112 §3.2.4", "OPTIONS * on HTTP/1.0", "OPTIONS * HTTP/1.0\r\n\r\n", ["200"], After.Closes, 0);
    }
}
