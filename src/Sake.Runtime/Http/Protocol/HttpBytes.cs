namespace Sake.Http.Protocol;

/// <summary>Protocol constants as UTF-8 literals, so writing them is a copy of static data.</summary>
internal static class HttpBytes
{
    public const byte CR = (byte)'\r';
    public const byte LF = (byte)'\n';
    public const byte SP = (byte)' ';
    public const byte HTAB = (byte)'\t';
    public const byte Colon = (byte)':';

    public static ReadOnlySpan<byte> CrLf => "\r\n"u8;
    public static ReadOnlySpan<byte> Http11 => "HTTP/1.1"u8;
    public static ReadOnlySpan<byte> Http10 => "HTTP/1.0"u8;
    public static ReadOnlySpan<byte> ContentLengthPrefix => "Content-Length: "u8;
    public static ReadOnlySpan<byte> ContentTypePrefix => "Content-Type: "u8;
    public static ReadOnlySpan<byte> ChunkedHeader => "Transfer-Encoding: chunked\r\n"u8;
    public static ReadOnlySpan<byte> ConnectionClose => "Connection: close\r\n"u8;
    public static ReadOnlySpan<byte> ConnectionKeepAlive => "Connection: keep-alive\r\n"u8;
    public static ReadOnlySpan<byte> ServerHeader => "Server: Sake\r\n"u8;
    public static ReadOnlySpan<byte> Continue100 => "HTTP/1.1 100 Continue\r\n\r\n"u8;
    public static ReadOnlySpan<byte> LastChunk => "0\r\n\r\n"u8;
    public static ReadOnlySpan<byte> TextPlainUtf8 => "text/plain; charset=utf-8"u8;
    public static ReadOnlySpan<byte> JsonUtf8 => "application/json; charset=utf-8"u8;
    public static ReadOnlySpan<byte> HtmlUtf8 => "text/html; charset=utf-8"u8;
}
