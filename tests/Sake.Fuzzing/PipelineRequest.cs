using System.Text;

namespace Sake.Fuzzing;

/// <summary>
/// One request as the parser saw it: raw method, target and header bytes (Latin-1 strings, so every byte
/// survives), the canonical path, the framing and the decoded body. <see cref="Describe"/> is the equality used
/// to compare outcomes between feed modes and after re-serialization.
/// </summary>
internal sealed class PipelineRequest
{
    public required string Method { get; init; }

    public required string Target { get; init; }

    public required int VersionMinor { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The path after percent-decoding and dot-segment removal (UTF-8 decoded).</summary>
    public required string Path { get; init; }

    public required bool Chunked { get; init; }

    /// <summary>-1 when the request has no Content-Length.</summary>
    public required long ContentLength { get; init; }

    public required bool KeepAlive { get; init; }

    /// <summary>The decoded body; null when the feed drained it without keeping it (the connection's discard path).</summary>
    public byte[]? Body { get; init; }

    public string Describe(bool withBody = true)
    {
        var sb = new StringBuilder();
        sb.Append(Method).Append(' ').Append(Target).Append(" HTTP/1.").Append(VersionMinor)
            .Append(" path=").Append(Path).Append(" chunked=").Append(Chunked).Append(" cl=").Append(ContentLength)
            .Append(" keepAlive=").Append(KeepAlive).Append('\n');
        foreach (var h in Headers)
        {
            sb.Append("  ").Append(h.Key).Append(": ").Append(h.Value).Append('\n');
        }

        if (withBody && Body is not null)
        {
            sb.Append("  body[").Append(Body.Length).Append("]=").Append(Encoding.Latin1.GetString(Body)).Append('\n');
        }

        return sb.ToString();
    }
}
