namespace Sake.Http.Rejections;

/// <summary>One table for status and message of every <see cref="RejectReason"/>.</summary>
internal static class Rejection
{
    private static readonly (int Status, string Message)[] Table = Build();

    public static int Status(RejectReason reason) => Table[(int)reason].Status;

    public static string Message(RejectReason reason) => Table[(int)reason].Message;

    /// <summary>Whether the connection must close: true for anything that leaves the framing in doubt.</summary>
    public static bool ClosesConnection(RejectReason reason) => reason != RejectReason.InvalidJsonBody;

    private static (int, string)[] Build()
    {
        var t = new (int, string)[(int)RejectReason.InvalidJsonBody + 1];
        void Set(RejectReason r, int status, string message) => t[(int)r] = (status, message);
        Set(RejectReason.None, 400, "Bad Request");
        Set(RejectReason.InvalidRequestLine, 400, "Invalid request line");
        Set(RejectReason.InvalidMethod, 400, "Method is not a token");
        Set(RejectReason.InvalidTarget, 400, "Invalid request target");
        Set(RejectReason.FragmentInTarget, 400, "Request target must not contain a fragment");
        Set(RejectReason.UnsupportedVersion, 505, "HTTP version not supported");
        Set(RejectReason.RequestLineTooLong, 414, "Request line too long");
        Set(RejectReason.HeadersTooLarge, 431, "Request headers too large");
        Set(RejectReason.TooManyHeaders, 431, "Too many request headers");
        Set(RejectReason.InvalidHeaderName, 400, "Header name is not a token");
        Set(RejectReason.WhitespaceBeforeColon, 400, "Whitespace between header name and colon");
        Set(RejectReason.ObsoleteLineFolding, 400, "Obsolete line folding is not accepted");
        Set(RejectReason.MissingColon, 400, "Header line without a colon");
        Set(RejectReason.InvalidHeaderValue, 400, "Control character in header value");
        Set(RejectReason.BareCarriageReturn, 400, "Bare CR in request head");
        Set(RejectReason.BareLineFeed, 400, "Bare LF in request head");
        Set(RejectReason.MissingHost, 400, "Missing Host header");
        Set(RejectReason.DuplicateHost, 400, "More than one Host header");
        Set(RejectReason.InvalidHost, 400, "Invalid Host header");
        Set(RejectReason.InvalidContentLength, 400, "Invalid Content-Length");
        Set(RejectReason.DuplicateContentLength, 400, "More than one Content-Length");
        Set(RejectReason.ContentLengthWithTransferEncoding, 400, "Content-Length together with Transfer-Encoding");
        Set(RejectReason.TransferEncodingOnHttp10, 400, "Transfer-Encoding in an HTTP/1.0 request");
        Set(RejectReason.ChunkedNotLast, 400, "chunked must be the final transfer coding, once");
        Set(RejectReason.UnsupportedTransferCoding, 501, "Transfer coding not implemented");
        Set(RejectReason.DuplicateTransferEncoding, 400, "More than one Transfer-Encoding header");
        Set(RejectReason.InvalidChunkSize, 400, "Invalid chunk size");
        Set(RejectReason.ChunkSizeOverflow, 400, "Chunk size overflows");
        Set(RejectReason.InvalidChunkExtension, 400, "Invalid chunk extension");
        Set(RejectReason.ChunkExtensionTooLong, 400, "Chunk extension too long");
        Set(RejectReason.MissingChunkDataTerminator, 400, "Chunk data not followed by CRLF");
        Set(RejectReason.InvalidTrailer, 400, "Invalid trailer field");
        Set(RejectReason.ForbiddenTrailer, 400, "Field not allowed in trailers");
        Set(RejectReason.BodyTooLarge, 413, "Request body too large");
        Set(RejectReason.UnexpectedEndOfBody, 400, "Connection closed before the body was complete");
        Set(RejectReason.HeadersTimeout, 408, "Request headers not received in time");
        Set(RejectReason.BodyTimeout, 408, "Request body arrived too slowly");
        Set(RejectReason.MethodNotImplemented, 501, "Method not implemented");
        Set(RejectReason.AsteriskFormNotOptions, 400, "Asterisk-form is only valid with OPTIONS");
        Set(RejectReason.EncodedSlashInPath, 400, "Encoded '/' in path");
        Set(RejectReason.NulInPath, 400, "NUL in path");
        Set(RejectReason.InvalidPercentEncoding, 400, "Invalid percent-encoding in path");
        Set(RejectReason.InvalidUtf8InPath, 400, "Path is not valid UTF-8");
        Set(RejectReason.ControlCharacterInPath, 400, "Control character in path");
        Set(RejectReason.UnsupportedExpectation, 417, "Expectation not supported");
        Set(RejectReason.InvalidJsonBody, 400, "Request body is not valid JSON for the expected type");
        return t;
    }
}
