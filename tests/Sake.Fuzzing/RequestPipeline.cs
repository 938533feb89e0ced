using System.Text;
using Sake.Http;
using Sake.Http.Bodies;
using Sake.Http.Parsing;
using Sake.Http.Protocol;
using Sake.Http.Rejections;

namespace Sake.Fuzzing;

/// <summary>
/// The connection's request loop without sockets: leading empty lines skipped, <see cref="HeadScanner"/> run as
/// bytes arrive, <see cref="RequestParser"/>, the Content-Length limit, <see cref="RequestTarget"/>, then the
/// body by Content-Length or through <see cref="ChunkedDecoder"/>, request after request while keep-alive holds.
/// It mirrors Connection.ReadHeadAsync, RunAsync, ProcessRequestAsync and ConsumeBufferedBody step for step, so a
/// bug the fuzzer finds here is a bug there; and it checks, at each step, what those steps promise (consumption
/// within the input, limits enforced before the bytes are buffered, a valid status for every rejection).
/// </summary>
internal static class RequestPipeline
{
    /// <summary>Every status a rejection may carry; anything else (a 500, a 200) from a rejection is a bug.</summary>
    public static bool IsRejectionStatus(int status) => status is 400 or 408 or 413 or 414 or 417 or 431 or 501 or 505;

    public static PipelineResult Run(ReadOnlySpan<byte> input, Config limits, FeedMode mode, ulong seed)
    {
        var feed = new Feed(mode, seed);
        var result = new PipelineResult();
        var head = new RequestHead();
        var scanner = default(HeadScanner);
        scanner.Reset();
        int delivered = feed.NextDelivered(0, input.Length);
        int reqStart = 0;

        // The most a head may buffer before the scanner must have decided: the request line with its CRLF plus
        // the header block (HeadScanner's two limits).
        long maxHead = (long)limits.MaxRequestLineSize + 2 + limits.MaxRequestHeadersTotalSize;
        while (true)
        {
            int headLength;
            while (true)
            {
                if (!scanner.Started)
                {
                    // RFC 9112 §2.2, as Connection.SkipLeadingCrLf.
                    while (delivered - reqStart >= 2 && input[reqStart] == HttpBytes.CR && input[reqStart + 1] == HttpBytes.LF)
                    {
                        reqStart += 2;
                    }
                }

                bool loneCr = !scanner.Started && delivered - reqStart == 1 && input[reqStart] == HttpBytes.CR;
                if (delivered > reqStart && !loneCr)
                {
                    var buffered = input.Slice(reqStart, delivered - reqStart);
                    headLength = scanner.FindEnd(buffered, limits, out var reason);
                    InvariantViolationException.Check(headLength <= buffered.Length, $"head length {headLength} past the {buffered.Length} buffered bytes");
                    if (headLength > 0)
                    {
                        InvariantViolationException.Check(reason == RejectReason.None, $"a complete head with reason {reason}");
                        InvariantViolationException.Check(headLength <= maxHead, $"accepted a {headLength}-byte head; the limits allow {maxHead}");
                        break;
                    }

                    if (headLength < 0)
                    {
                        return Reject(result, reason, reqStart);
                    }

                    InvariantViolationException.Check(reason == RejectReason.None, $"waiting for more with reason {reason}");
                    InvariantViolationException.Check(buffered.Length <= maxHead, $"buffered {buffered.Length} head bytes without a decision; the limits allow {maxHead}");
                }

                if (delivered == input.Length)
                {
                    result.End = delivered == reqStart ? PipelineEnd.Clean : PipelineEnd.Incomplete;
                    result.Consumed = reqStart;
                    return result;
                }

                delivered = feed.NextDelivered(delivered, input.Length);
            }

            var headBytes = input.Slice(reqStart, headLength);
            var parsed = RequestParser.Parse(headBytes, head);
            if (parsed != RejectReason.None)
            {
                return Reject(result, parsed, reqStart);
            }

            CheckHead(head, headLength, limits);
            bool keepAlive = head.VersionMinor == 1 ? !head.ConnectionClose : head.ConnectionKeepAlive && !head.ConnectionClose;
            if (head.ContentLength > limits.MaxRequestBodySize)
            {
                result.RejectedMethod = Encoding.Latin1.GetString(headBytes.Slice(head.MethodStart, head.MethodLength));
                return Reject(result, RejectReason.BodyTooLarge, reqStart);
            }

            var target = headBytes.Slice(head.TargetStart, head.TargetLength);
            var scratch = new byte[target.Length];
            var targetReason = RequestTarget.Canonicalize(target, scratch, out int pathLength, out int queryStart);
            if (targetReason != RejectReason.None)
            {
                result.RejectedMethod = Encoding.Latin1.GetString(headBytes.Slice(head.MethodStart, head.MethodLength));
                return Reject(result, targetReason, reqStart);
            }

            InvariantViolationException.Check(pathLength >= 1 && pathLength <= target.Length, $"path length {pathLength} for a {target.Length}-byte target");
            InvariantViolationException.Check(queryStart == -1 || (queryStart >= 1 && queryStart <= target.Length), $"query start {queryStart} outside the target");
            if (queryStart >= 0)
            {
                // What a handler's ctx.Query(name) runs on the raw query: it decodes and must not throw on any bytes.
                var query = target.Slice(queryStart);
                QueryStringParser.Find(query, "a");
                int amp = query.IndexOf((byte)'&');
                var first = amp < 0 ? query : query.Slice(0, amp);
                int eq = first.IndexOf((byte)'=');
                QueryStringParser.Find(query, Encoding.Latin1.GetString(eq < 0 ? first : first.Slice(0, eq)));
            }

            int bodyStart = reqStart + headLength;
            byte[]? body;
            int bodyEnd;
            if (head.Chunked)
            {
                var chunked = DecodeChunked(input, bodyStart, ref delivered, ref feed, limits, out body, out bodyEnd, out var bodyReason);
                if (!chunked)
                {
                    result.InBody = true;
                    result.BodyMethod = Encoding.Latin1.GetString(headBytes.Slice(head.MethodStart, head.MethodLength));
                    if (bodyReason == RejectReason.None)
                    {
                        result.End = PipelineEnd.Incomplete;
                        result.Consumed = reqStart;
                        return result;
                    }

                    return Reject(result, bodyReason, reqStart);
                }
            }
            else if (head.ContentLength > 0)
            {
                if (input.Length - bodyStart < head.ContentLength)
                {
                    result.InBody = true;
                    result.BodyMethod = Encoding.Latin1.GetString(headBytes.Slice(head.MethodStart, head.MethodLength));
                    result.End = PipelineEnd.Incomplete;
                    result.Consumed = reqStart;
                    return result;
                }

                bodyEnd = bodyStart + (int)head.ContentLength;
                body = feed.Discard ? null : input.Slice(bodyStart, (int)head.ContentLength).ToArray();
                delivered = Math.Max(delivered, bodyEnd);
            }
            else
            {
                bodyEnd = bodyStart;
                body = feed.Discard ? null : [];
            }

            result.Requests.Add(Describe(headBytes, head, scratch.AsSpan(0, pathLength), keepAlive, body));
            reqStart = bodyEnd;
            result.Consumed = reqStart;
            scanner.Reset();
            if (!keepAlive)
            {
                result.End = PipelineEnd.Closed;
                return result;
            }
        }
    }

    private static PipelineResult Reject(PipelineResult result, RejectReason reason, int reqStart)
    {
        InvariantViolationException.Check(reason != RejectReason.None, "rejected without a reason");
        InvariantViolationException.Check(IsRejectionStatus(Rejection.Status(reason)), $"{reason} maps to status {Rejection.Status(reason)}");
        result.End = PipelineEnd.Rejected;
        result.Reason = reason;
        result.Consumed = reqStart;
        return result;
    }

    /// <summary>Every offset the parser recorded lies inside the head; the counts respect the limits.</summary>
    private static void CheckHead(RequestHead head, int headLength, Config limits)
    {
        InvariantViolationException.Check(head.Length == headLength, $"head.Length {head.Length} != {headLength}");
        InvariantViolationException.Check(head.MethodStart == 0 && head.MethodLength > 0 && head.TargetStart > head.MethodLength, "method or target offsets out of order");
        InvariantViolationException.Check(head.TargetLength > 0 && head.TargetStart + head.TargetLength <= headLength, "target past the head");
        InvariantViolationException.Check(head.HeaderCount <= limits.MaxRequestHeaderCount, $"{head.HeaderCount} headers; the limit is {limits.MaxRequestHeaderCount}");
        InvariantViolationException.Check(head.VersionMinor is 0 or 1, $"HTTP/1.{head.VersionMinor}");
        InvariantViolationException.Check(head.ContentLength >= -1, $"Content-Length {head.ContentLength}");
        InvariantViolationException.Check(!(head.Chunked && head.ContentLength >= 0), "chunked and Content-Length together were accepted");
        for (int i = 0; i < head.HeaderCount; i++)
        {
            ref var h = ref head.Headers[i];
            InvariantViolationException.Check(h.NameLength > 0 && h.NameStart >= 0 && h.NameStart + h.NameLength < h.ValueStart + 1, $"header {i}: name offsets");
            InvariantViolationException.Check(h.ValueLength >= 0 && h.ValueStart + h.ValueLength <= headLength - 2, $"header {i}: value past the head");
        }
    }

    /// <summary>
    /// The body loop of Connection.ConsumeBufferedBody: decode what has arrived, into output spans of the feed's
    /// sizes (or discarding), read more while the decoder wants it. False with a reason on a rejection, false
    /// with <see cref="RejectReason.None"/> when the input ends first.
    /// </summary>
    private static bool DecodeChunked(ReadOnlySpan<byte> input, int bodyStart, ref int delivered, ref Feed feed, Config limits, out byte[]? body, out int bodyEnd, out RejectReason reason)
    {
        var decoder = default(ChunkedDecoder);
        decoder.Reset();
        var output = new MemoryStream();
        var span = new byte[1 << 16];
        int pos = bodyStart;
        delivered = Math.Max(delivered, Math.Min(input.Length, bodyStart));
        while (!decoder.IsDone)
        {
            if (pos == delivered)
            {
                if (delivered == input.Length)
                {
                    body = null;
                    bodyEnd = pos;
                    reason = RejectReason.None;
                    return false;
                }

                delivered = feed.NextDelivered(delivered, input.Length);
                continue;
            }

            var available = input.Slice(pos, delivered - pos);
            var target = feed.Discard ? default : span.AsSpan(0, feed.NextOutputSize());
            int consumed = decoder.Decode(available, target, feed.Discard, out int written, limits, out var error);
            InvariantViolationException.Check(consumed >= 0 && consumed <= available.Length, $"decoder consumed {consumed} of {available.Length}");
            InvariantViolationException.Check(written >= 0 && written <= target.Length, $"decoder wrote {written} into {target.Length}");
            InvariantViolationException.Check(written <= consumed, $"decoder wrote {written} bytes from {consumed}");
            output.Write(span, 0, written);
            pos += consumed;
            if (error != RejectReason.None)
            {
                body = null;
                bodyEnd = pos;
                reason = error;
                return false;
            }

            InvariantViolationException.Check(consumed > 0 || decoder.IsDone, "the decoder made no progress with input and output room");
            InvariantViolationException.Check(output.Length <= limits.MaxRequestBodySize, $"decoded {output.Length} body bytes; the limit is {limits.MaxRequestBodySize}");
        }

        body = feed.Discard ? null : output.ToArray();
        bodyEnd = pos;
        reason = RejectReason.None;
        return true;
    }

    private static PipelineRequest Describe(ReadOnlySpan<byte> headBytes, RequestHead head, ReadOnlySpan<byte> path, bool keepAlive, byte[]? body)
    {
        var headers = new List<KeyValuePair<string, string>>(head.HeaderCount);
        for (int i = 0; i < head.HeaderCount; i++)
        {
            ref var h = ref head.Headers[i];
            headers.Add(new(Encoding.Latin1.GetString(headBytes.Slice(h.NameStart, h.NameLength)), Encoding.Latin1.GetString(headBytes.Slice(h.ValueStart, h.ValueLength))));
        }

        return new PipelineRequest
        {
            Method = Encoding.Latin1.GetString(headBytes.Slice(head.MethodStart, head.MethodLength)),
            Target = Encoding.Latin1.GetString(headBytes.Slice(head.TargetStart, head.TargetLength)),
            VersionMinor = head.VersionMinor,
            Headers = headers,
            Path = Encoding.UTF8.GetString(path),
            Chunked = head.Chunked,
            ContentLength = head.ContentLength,
            KeepAlive = keepAlive,
            Body = body,
        };
    }
}
