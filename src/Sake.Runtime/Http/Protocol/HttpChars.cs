using System.Buffers;

namespace Sake.Http.Protocol;

/// <summary>Character classes from RFC 9110 §5.6.2 (token) and §5.5 (field values).</summary>
internal static class HttpChars
{
    /// <summary>tchar: "!" / "#" / "$" / "%" / "&amp;" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes allowed inside a field value: HTAB, SP, VCHAR and obs-text (RFC 9110 §5.5).</summary>
    public static readonly SearchValues<byte> FieldValue = SearchValues.Create(BuildFieldValue());

    /// <summary>
    /// Bytes allowed in a request-target (RFC 9112 §3.2): RFC 3986's unreserved, sub-delims, gen-delims and "%", plus
    /// "|" and "^", which browsers send raw in paths (the WHATWG URL standard's path percent-encode set leaves them
    /// out) and which delimit nothing. Other visible ASCII outside RFC 3986 (<c>"&lt;&gt;\`{}</c>) must be
    /// percent-encoded; "\" stays out of paths because some servers and proxies read it as "/". "#" is kept so a
    /// fragment is reported as such.
    /// </summary>
    public static readonly SearchValues<byte> TargetChar = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?#[]%|^"u8);

    /// <summary>
    /// <see cref="TargetChar"/> plus the bytes browsers also leave raw in a query (<c>\`{}</c>: the WHATWG URL
    /// standard's query percent-encode set does not include them). Accepted after "?" only; <c>"&lt;&gt;</c> stay out.
    /// </summary>
    public static readonly SearchValues<byte> QueryChar = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?#[]%|^\\`{}"u8);

    /// <summary>reg-name and port characters of a Host value: unreserved / pct-encoded / sub-delims / ":" (RFC 3986 §3.2.2).</summary>
    public static readonly SearchValues<byte> HostChar = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=:"u8);

    private static byte[] BuildFieldValue()
    {
        var list = new List<byte> { 0x09 };
        for (int b = 0x20; b <= 0xFF; b++)
        {
            if (b != 0x7F)
            {
                list.Add((byte)b);
            }
        }

        return list.ToArray();
    }
}
