namespace Sake.Http.Parsing;

/// <summary>
/// The parsed request line and header block of one request, as offsets into the connection's input buffer so
/// nothing is copied or turned into strings until a handler asks. Reused for every request on a connection.
/// </summary>
internal sealed class RequestHead
{
    public HttpMethodKind Method;
    public int MethodStart;
    public int MethodLength;
    public int TargetStart;
    public int TargetLength;

    /// <summary>0 for HTTP/1.0, 1 for HTTP/1.1.</summary>
    public int VersionMinor;

    public HeaderEntry[] Headers = new HeaderEntry[16];
    public int HeaderCount;
    public int HostIndex;

    /// <summary>-1 when the request has no Content-Length.</summary>
    public long ContentLength;
    public bool Chunked;
    public bool ConnectionClose;
    public bool ConnectionKeepAlive;
    public bool ExpectContinue;
    public Sake.Http.Rejections.RejectReason TransferEncodingError;

    /// <summary>Length of the head including the empty line that ends it.</summary>
    public int Length;

    public void Reset()
    {
        Method = HttpMethodKind.Other;
        MethodStart = MethodLength = TargetStart = TargetLength = 0;
        VersionMinor = 1;
        HeaderCount = 0;
        HostIndex = -1;
        ContentLength = -1;
        Chunked = ConnectionClose = ConnectionKeepAlive = ExpectContinue = false;
        TransferEncodingError = Sake.Http.Rejections.RejectReason.None;
        Length = 0;
    }

    public void AddHeader(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (HeaderCount == Headers.Length)
        {
            Array.Resize(ref Headers, Headers.Length * 2);
        }

        ref var h = ref Headers[HeaderCount++];
        h.NameStart = nameStart;
        h.NameLength = nameLength;
        h.ValueStart = valueStart;
        h.ValueLength = valueLength;
    }
}
