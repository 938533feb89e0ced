using System.Globalization;
using System.Text;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Builders for raw requests. Strings are Latin-1: each char is one byte on the wire (write control bytes as
/// \u00XX, never \x, which swallows following hex digits).
/// </summary>
internal static class Requests
{
    /// <summary>The request a lenient parser might find inside or after a bad one; only it reaches <c>/hit</c>.</summary>
    public const string Hidden = "GET /hit HTTP/1.1\r\nHost: x\r\n\r\n";

    public const string Host = "Host: x\r\n";

    public const int ShortRequestLine = 256;
    public const int SmallHeaderBlock = 1024;
    public const int FewHeaders = 10;
    public const int SmallBody = 100;
    public const int ShortChunkExtension = 16;

    /// <summary>GET / with the given header lines (each ending CRLF), then the hidden request.</summary>
    public static string Get(string headers) => "GET / HTTP/1.1\r\n" + headers + "\r\n" + Hidden;

    /// <summary>The given request line with a valid Host, then the hidden request.</summary>
    public static string Line(string requestLine) => requestLine + "\r\n" + Host + "\r\n" + Hidden;

    /// <summary>GET /hit with Host and the given extra header lines, nothing after it.</summary>
    public static string Hit(string headers = "") => "GET /hit HTTP/1.1\r\n" + Host + headers + "\r\n";

    /// <summary>POST /echo with the given extra header lines and raw body; by default the hidden request follows.</summary>
    public static string Post(string headers, string body, bool hidden = true) =>
        "POST /echo HTTP/1.1\r\n" + Host + headers + "\r\n" + body + (hidden ? Hidden : "");

    public static string Chunked(string body, bool hidden = true) => Post("Transfer-Encoding: chunked\r\n", body, hidden);

    /// <summary>One chunk (size line, data, CRLF) carrying <paramref name="data"/>.</summary>
    public static string ChunkOf(string data) => data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + data + "\r\n";

    /// <summary><paramref name="count"/> header lines X-Hn: with a value of <paramref name="valueLength"/> chars.</summary>
    public static string Headers(int count, int valueLength)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"X-H{i}: ").Append('v', valueLength).Append("\r\n");
        }

        return sb.ToString();
    }

    /// <summary>A <c>GET /hit?q=...</c> request line of exactly <paramref name="length"/> bytes, without CRLF.</summary>
    public static string LineOfLength(int length)
    {
        const string prefix = "GET /hit?q=";
        const string suffix = " HTTP/1.1";
        return prefix + new string('q', length - prefix.Length - suffix.Length) + suffix;
    }

    /// <summary>GET /hit whose header block (Host line, one X-Pad line, final CRLF) is exactly <paramref name="length"/> bytes.</summary>
    public static string HeaderBlockOfLength(int length)
    {
        const string pad = "X-Pad: ";
        int value = length - Host.Length - pad.Length - 2 - 2;
        return "GET /hit HTTP/1.1\r\n" + Host + pad + new string('p', value) + "\r\n\r\n";
    }
}
