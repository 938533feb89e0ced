using Sake.Http.Protocol;
using Sake.Http.Rejections;

namespace Sake.Http.Parsing;

/// <summary>
/// Finds the end of a request head as bytes arrive, remembering how far it looked so a head that dribbles in
/// one byte at a time costs O(n) in total, not O(n²). It enforces the size limits before the head is complete,
/// so an endless header block is cut off at the limit instead of buffered.
/// </summary>
internal struct HeadScanner
{
    private int _scanned;
    private int _lineStart;
    private int _lines;
    private int _requestLineEnd;

    public void Reset()
    {
        _scanned = 0;
        _lineStart = 0;
        _lines = 0;
        _requestLineEnd = -1;
    }

    /// <summary>True once any byte of the head has been seen (the request has started).</summary>
    public readonly bool Started => _scanned > 0;

    /// <summary>
    /// Returns the head's length once it is complete, 0 when more bytes are needed, or -1 with a reason when a
    /// limit is exceeded. <paramref name="buffer"/> starts at the request's first byte and grows between calls.
    /// </summary>
    public int FindEnd(ReadOnlySpan<byte> buffer, Config limits, out RejectReason reason)
    {
        reason = RejectReason.None;
        while (true)
        {
            int idx = buffer.Slice(_scanned).IndexOf(HttpBytes.LF);
            if (idx < 0)
            {
                _scanned = buffer.Length;
                if (_requestLineEnd < 0)
                {
                    // A trailing CR may be the first half of the CRLF, which the limit does not count: judging it
                    // as content would make the outcome depend on whether CR and LF arrived in the same read.
                    if (buffer.Length - (buffer.Length > 0 && buffer[^1] == HttpBytes.CR ? 1 : 0) > limits.MaxRequestLineSize)
                    {
                        reason = RejectReason.RequestLineTooLong;
                        return -1;
                    }
                }
                else if (buffer.Length - _requestLineEnd > limits.MaxRequestHeadersTotalSize)
                {
                    reason = RejectReason.HeadersTooLarge;
                    return -1;
                }

                return 0;
            }

            int lf = _scanned + idx;
            int lineLength = lf - _lineStart;
            if (_requestLineEnd < 0)
            {
                // The limit counts the line without its line ending, as Kestrel's MaxRequestLineSize does: CRLF, or
                // the LF alone when there is no CR (the parser rejects a bare LF, but the limit measures the same
                // way whether the line has ended or not, see above).
                if (lineLength - (lineLength > 0 && buffer[lf - 1] == HttpBytes.CR ? 1 : 0) > limits.MaxRequestLineSize)
                {
                    reason = RejectReason.RequestLineTooLong;
                    return -1;
                }

                _requestLineEnd = lf + 1;
            }
            else if (lineLength == 0 || (lineLength == 1 && buffer[_lineStart] == HttpBytes.CR))
            {
                if (lf + 1 - _requestLineEnd > limits.MaxRequestHeadersTotalSize)
                {
                    reason = RejectReason.HeadersTooLarge;
                    return -1;
                }

                return lf + 1;
            }
            else if (++_lines > limits.MaxRequestHeaderCount)
            {
                reason = RejectReason.TooManyHeaders;
                return -1;
            }
            else if (lf + 1 - _requestLineEnd > limits.MaxRequestHeadersTotalSize)
            {
                reason = RejectReason.HeadersTooLarge;
                return -1;
            }

            _lineStart = lf + 1;
            _scanned = lf + 1;
        }
    }
}
