using System.Globalization;
using System.Text;
using Sake.Fuzzing;

namespace Sake.Runtime.Tests.Properties;

/// <summary>How a generated request frames its body.</summary>
internal enum Framing
{
    None,
    ContentLength,
    Chunked,
}

/// <summary>One header line as sent (whitespace around the value included) and the field the parser must report.</summary>
internal sealed record HeaderLine(string Raw, string Name, string Value);

/// <summary>One chunk as sent: its size line's digits (any case, leading zeros) and extension.</summary>
internal sealed record ChunkLine(int Size, string Digits, string Extension);

/// <summary>
/// A valid request built field by field by <see cref="RequestGenerators"/>: <see cref="ToBytes"/> is what a client
/// sends, <see cref="Expected"/> what the parser must make of it.
/// </summary>
internal sealed class GeneratedRequest
{
    public required string Method { get; init; }

    public required string Target { get; init; }

    /// <summary>The canonical path the target must decode to.</summary>
    public required string Path { get; init; }

    public required int VersionMinor { get; init; }

    public required IReadOnlyList<HeaderLine> Headers { get; init; }

    public required bool KeepAlive { get; init; }

    public required Framing Framing { get; init; }

    public required byte[] Body { get; init; }

    public required IReadOnlyList<ChunkLine> Chunks { get; init; }

    public required string LastChunkExtension { get; init; }

    public required IReadOnlyList<string> Trailers { get; init; }

    /// <summary>Empty lines before the request line (RFC 9112 §2.2 lets a server skip them).</summary>
    public required int LeadingEmptyLines { get; init; }

    public byte[] ToBytes()
    {
        var s = new MemoryStream();
        for (int i = 0; i < LeadingEmptyLines; i++)
        {
            Write(s, "\r\n");
        }

        Write(s, Method + " " + Target + " HTTP/1." + VersionMinor + "\r\n");
        foreach (var h in Headers)
        {
            Write(s, h.Raw + "\r\n");
        }

        Write(s, "\r\n");
        if (Framing == Framing.Chunked)
        {
            int offset = 0;
            foreach (var c in Chunks)
            {
                Write(s, c.Digits + c.Extension + "\r\n");
                s.Write(Body, offset, c.Size);
                offset += c.Size;
                Write(s, "\r\n");
            }

            Write(s, "0" + LastChunkExtension + "\r\n");
            foreach (var t in Trailers)
            {
                Write(s, t + "\r\n");
            }

            Write(s, "\r\n");
        }
        else
        {
            s.Write(Body);
        }

        return s.ToArray();
    }

    public PipelineRequest Expected() => new()
    {
        Method = Method,
        Target = Target,
        VersionMinor = VersionMinor,
        Headers = Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
        Path = Path,
        Chunked = Framing == Framing.Chunked,
        ContentLength = Framing == Framing.ContentLength ? Body.Length : -1,
        KeepAlive = KeepAlive,
        Body = Body,
    };

    public override string ToString() => Encoding.Latin1.GetString(ToBytes()).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);

    internal static string Hex(int size, bool upper, int zeros) =>
        new string('0', zeros) + size.ToString(upper ? "X" : "x", CultureInfo.InvariantCulture);

    private static void Write(MemoryStream s, string latin1) => s.Write(Encoding.Latin1.GetBytes(latin1));
}
