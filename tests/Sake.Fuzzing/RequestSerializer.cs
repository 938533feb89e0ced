using System.Text;

namespace Sake.Fuzzing;

/// <summary>
/// Writes an accepted request back out in plain form: the request line as received, one "name: value" line per
/// field, and the body framed as it was (Content-Length as declared, or chunked in chunks of
/// <paramref name="chunkSize"/> with no extensions or trailers). Parsing the result must give the same request.
/// </summary>
internal static class RequestSerializer
{
    public static byte[] Serialize(PipelineRequest r, int chunkSize = int.MaxValue)
    {
        var s = new MemoryStream();
        Write(s, r.Method + " " + r.Target + " HTTP/1." + r.VersionMinor + "\r\n");
        foreach (var h in r.Headers)
        {
            Write(s, h.Key + ": " + h.Value + "\r\n");
        }

        Write(s, "\r\n");
        var body = r.Body ?? [];
        if (r.Chunked)
        {
            for (int i = 0; i < body.Length; i += chunkSize)
            {
                int n = Math.Min(chunkSize, body.Length - i);
                Write(s, n.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n");
                s.Write(body, i, n);
                Write(s, "\r\n");
            }

            Write(s, "0\r\n\r\n");
        }
        else
        {
            s.Write(body);
        }

        return s.ToArray();
    }

    private static void Write(MemoryStream s, string latin1) => s.Write(Encoding.Latin1.GetBytes(latin1));
}
