namespace Sake.Workers;

/// <summary>
/// The request as it crosses into the worker pool: serialized to UTF-8 JSON on the loop, deserialized on a
/// worker. It also carries the response state loop-side middleware set before the handler (status, headers),
/// so the handler sees exactly what it would see on the loop.
/// </summary>
/// <remarks>
/// Body encoding: a body that is exactly one JSON object or array is embedded as JSON (<see cref="BodyJson"/>, no
/// escaping, no Base64); other valid UTF-8 text goes as a JSON string (<see cref="Body"/>); anything else as Base64
/// (<see cref="BodyBytes"/>). The handler always sees the original bytes.
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
    /// parser), in Base64: one vectorized copy instead of a string per name and value, and no escaped line breaks
    /// (every backslash would push the reader onto its slow path).
    /// </summary>
    public byte[]? HeaderBlock { get; set; }

    /// <summary>Route parameter names are case-insensitive, as on the loop.</summary>
    public Dictionary<string, string> RouteValues { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A body that is one JSON object or array, embedded as JSON (see <see cref="RawJsonConverter"/>).</summary>
    /// <remarks>Always the last member written: <see cref="WorkerCodec"/> reads it by slicing up to the closing brace.</remarks>
    [System.Text.Json.Serialization.JsonConverter(typeof(RawJsonConverter))]
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public byte[]? BodyJson { get; set; }

    /// <summary>Any other UTF-8 text body, as a JSON string.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Body { get; set; }

    public byte[]? BodyBytes { get; set; }

    public List<WorkerItem>? Items { get; set; }

    public WorkerResponse Response { get; set; } = new();
}
