using static Sake.Runtime.Tests.Conformance.Requests;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Message body length (RFC 9112 §6): Content-Length is 1*DIGIT, once (RFC 9110 §8.6, RFC 9112 §6.3 item 5);
/// Transfer-Encoding must end in chunked, once (§6.1, §6.3 item 4); both together is 400 (§6.3 item 3, the
/// request-smuggling shape); HTTP/1.0 has no Transfer-Encoding (§6.1). Framing is honoured whatever the method.
/// </summary>
internal static class FramingCases
{
    public static void Add(CaseTable t)
    {
        // Content-Length together with Transfer-Encoding (§6.3 item 3).
        t.Reject("RFC 9112 §6.3", "CL then TE chunked", Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE chunked then CL (TE.CL smuggle shape)", Post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", ChunkOf(Hidden) + "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "CL with TE gzip, chunked is 400 not 501", Post("Content-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "CL 0 with TE chunked", Post("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400);

        // Transfer-Encoding other than one final chunked (§6.1, §6.3 item 4; RFC 9110 §5.3 one field line or a list).
        t.Reject("RFC 9112 §6.1", "TE chunked, gzip (chunked not last)", Post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.1", "TE chunked, chunked", Post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.1", "two TE chunked header lines", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.1", "TE chunked line then TE gzip line", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.1", "TE gzip, chunked (unsupported coding)", Post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501);
        t.Reject("RFC 9112 §6.3", "TE foo alone (no chunked)", Post("Transfer-Encoding: foo\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE identity (not a coding since RFC 7230)", Post("Transfer-Encoding: identity\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE with an empty value", Post("Transfer-Encoding:\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE of empty list elements only", Post("Transfer-Encoding: , ,\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE chunked with a parameter", Post("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE xchunked", Post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE with space before colon, plus CL", Post("Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §5.2", "TE value obs-folded", Post("Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.1", "TE chunked on HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Hidden, 400);

        // RFC 9110 §5.6.1 asks recipients to ignore empty list elements; in this one framing field Sake refuses them
        // instead (docs/conformance.md, deviations): a rejection can never desynchronise two parsers.
        t.Reject("RFC 9112 §6.3", "TE with an empty element before chunked", Post("Transfer-Encoding: , chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400);
        t.Reject("RFC 9112 §6.3", "TE with an empty element after chunked", Post("Transfer-Encoding: chunked,\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400);

        t.Accept("RFC 9112 §6.1", "Transfer-Encoding: Chunked (case-insensitive)", Post("Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §6.1", "lowercase transfer-encoding name", Post("transfer-encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", hidden: false), ["hello"]);

        // Content-Length = 1*DIGIT, one field line (RFC 9110 §8.6, RFC 9112 §6.3 item 5).
        foreach (var value in new[] { "+5", "-1", "5 5", "0x5", "5,5", "5, 5", "abc", "5a", "99999999999999999999", "5.0", "1e1", "\u00B5" })
        {
            t.Reject("RFC 9110 §8.6", $"CL '{value}'", Post($"Content-Length: {value}\r\n", "hello"), 400);
        }

        t.Reject("RFC 9110 §8.6", "CL empty value after SP", Post("Content-Length: \r\n", "hello"), 400);
        t.Reject("RFC 9110 §8.6", "CL empty value", Post("Content-Length:\r\n", "hello"), 400);
        t.Reject("RFC 9112 §6.3", "CL repeated identical", Post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), 400);
        t.Reject("RFC 9112 §6.3", "CL repeated different", Post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello"), 400);
        t.Reject("RFC 9112 §5.1", "CL with space before colon", Post("Content-Length : 5\r\n", "hello"), 400);

        t.Accept("RFC 9110 §8.6", "Content-Length 0005", Post("Content-Length: 0005\r\n", "hello", hidden: false), ["hello"]);
        t.Accept("RFC 9110 §5.5", "Content-Length with OWS", Post("Content-Length:   5  \r\n", "hello", hidden: false), ["hello"]);
        t.Accept("RFC 9110 §5.5", "Content-Length with HTAB OWS", Post("Content-Length:\t5\t\r\n", "hello", hidden: false), ["hello"]);
        t.Accept("RFC 9110 §8.6", "Content-Length 0", Post("Content-Length: 0\r\n", "", hidden: false), [""]);
        t.Accept("RFC 9110 §5.1", "lowercase content-length", Post("content-length: 5\r\n", "hello", hidden: false), ["hello"]);
        t.Accept("RFC 9112 §6.3", "Content-Length body then pipelined GET", Post("Content-Length: 5\r\n", "hello", hidden: true), ["hello", "hit"]);
        t.Accept("RFC 9112 §6.3", "POST without CL or TE has an empty body", "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n" + Hidden, ["", "hit"]);

        // The body ends where the framing says, not where the bytes look like a new request (§6.3).
        t.Accept("RFC 9112 §6.3", "GET with a Content-Length body (framing honoured)", Hit("Content-Length: 5\r\n") + "hello" + Hidden, ["hit", "hit"]);
        t.Accept("RFC 9112 §6.3", "GET with a chunked body (framing honoured)", Hit("Transfer-Encoding: chunked\r\n") + ChunkOf(Hidden) + "0\r\n\r\n" + Hidden, ["hit", "hit"]);
        t.Accept("RFC 9112 §6.3", "unread Content-Length body holding a request is skipped", "POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: " + Hidden.Length + "\r\n\r\n" + Hidden + Hidden, ["ignored", "hit"]);
        t.Exchange("RFC 9112 §6.3", "CL shorter than the body: the rest is the next request", Post("Content-Length: 3\r\n", "hello"), ["200|hel", "501"], After.Closes, 0);
    }
}
