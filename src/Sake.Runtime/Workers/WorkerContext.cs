namespace Sake.Workers;

/// <summary>
/// The request as it crosses into the worker pool: serialized to UTF-8 JSON on the loop, deserialized on a
/// worker. It also carries the response state loop-side middleware set before the handler (status, headers),
/// so the handler sees exactly what it would see on the loop.
/// </summary>
/// <remarks>
/// The body travels as a JSON string when it is valid UTF-8 (every JSON or text body): no Base64 inflation,
/// only JSON string escaping, written from and read into UTF-8 bytes directly (<see cref="Utf8TextConverter"/>).
/// Binary bodies fall back to Base64 in <see cref="BodyBytes"/>.
/// </remarks>
internal sealed class WorkerContext
{
    public string Method { get; set; } = "GET";

    public string Path { get; set; } = "/";

    public string RawTarget { get; set; } = "/";

    public string QueryString { get; set; } = "";

    public string? RoutePattern { get; set; }

    /// <summary>
    /// The request's header lines exactly as received ("Name: value\r\n" …, already validated by the strict
    /// parser), as one JSON string: one copy on the loop instead of a string per name and value.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? HeaderBlock { get; set; }

    /// <summary>The header block in Base64, only when it holds bytes that are not UTF-8 (obs-text).</summary>
    public byte[]? HeaderBlockBytes { get; set; }

    public Dictionary<string, string> RouteValues { get; set; } = new();

    [System.Text.Json.Serialization.JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Body { get; set; }

    public byte[]? BodyBytes { get; set; }

    public List<WorkerItem>? Items { get; set; }

    public WorkerResponse Response { get; set; } = new();
}
