using System.Globalization;
using System.Text;

namespace Sake.Runtime.Tests.Infrastructure;

/// <summary>A parsed HTTP/1.1 response as received on a raw socket.</summary>
public sealed class RawResponse
{
    public int Status { get; private init; }

    public string StatusLine { get; private init; } = "";

    public List<KeyValuePair<string, string>> Headers { get; } = new();

    public string Body { get; private set; } = "";

    /// <summary>The exact bytes of the response as received.</summary>
    public string Raw { get; private set; } = "";

    public string? Header(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }

    public IEnumerable<string> HeaderValues(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return h.Value;
            }
        }
    }

    public bool ConnectionClose => Header("Connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) == true;

    public static bool TryParse(ReadOnlySpan<byte> data, bool headRequest, out RawResponse? response, out int length)
    {
        response = null;
        length = 0;
        int end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        var headText = Encoding.Latin1.GetString(data.Slice(0, end));
        var lines = headText.Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        var r = new RawResponse { Status = int.Parse(parts[1], CultureInfo.InvariantCulture), StatusLine = lines[0] };
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            r.Headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }

        int pos = end + 4;
        if (r.Status is (>= 100 and < 200) or 204 or 304 || headRequest)
        {
            r.Raw = Encoding.Latin1.GetString(data.Slice(0, pos));
            response = r;
            length = pos;
            return true;
        }

        var te = r.Header("Transfer-Encoding");
        if (te is not null && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new StringBuilder();
            while (true)
            {
                int lineEnd = data.Slice(pos).IndexOf("\r\n"u8);
                if (lineEnd < 0)
                {
                    return false;
                }

                int size = int.Parse(Encoding.ASCII.GetString(data.Slice(pos, lineEnd)), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                pos += lineEnd + 2;
                if (size == 0)
                {
                    if (data.Length < pos + 2)
                    {
                        return false;
                    }

                    pos += 2;
                    break;
                }

                if (data.Length < pos + size + 2)
                {
                    return false;
                }

                body.Append(Encoding.UTF8.GetString(data.Slice(pos, size)));
                pos += size + 2;
            }

            r.Body = body.ToString();
        }
        else if (r.Header("Content-Length") is { } cl)
        {
            int n = int.Parse(cl, CultureInfo.InvariantCulture);
            if (data.Length < pos + n)
            {
                return false;
            }

            r.Body = Encoding.UTF8.GetString(data.Slice(pos, n));
            pos += n;
        }
        else
        {
            // Close-delimited (HTTP/1.0 streaming): only complete when the caller read to the end.
            return false;
        }

        r.Raw = Encoding.Latin1.GetString(data.Slice(0, pos));
        response = r;
        length = pos;
        return true;
    }
}
