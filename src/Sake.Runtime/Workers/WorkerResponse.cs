namespace Sake.Workers;

/// <summary>The response state as it crosses the worker boundary (in both directions).</summary>
internal sealed class WorkerResponse
{
    public int Status { get; set; } = 200;

    public List<string[]> Headers { get; set; } = new();

    /// <summary>0 none, 1 text, 2 json, 3 html, 4 custom (see <see cref="ContentType"/>).</summary>
    public int ContentKind { get; set; }

    public string? ContentType { get; set; }

    /// <summary>A body that is one JSON object or array, embedded as JSON (see <see cref="RawJsonConverter"/>).</summary>
    /// <remarks>Always the last member written: <see cref="WorkerCodec"/> reads it by slicing up to the closing brace.</remarks>
    [System.Text.Json.Serialization.JsonConverter(typeof(RawJsonConverter))]
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public byte[]? BodyJson { get; set; }

    /// <summary>Any other UTF-8 text body, as a JSON string.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Body { get; set; }

    public byte[]? BodyBytes { get; set; }

    public bool Close { get; set; }

    public List<WorkerItem>? Items { get; set; }

    /// <summary>0 none; 1 the handler threw; 2 bad client data (a <see cref="BadRequestException"/>); 3 the boundary failed.</summary>
    public int ErrorKind { get; set; }

    public string? ErrorType { get; set; }

    public string? ErrorMessage { get; set; }

    public string? ErrorStackTrace { get; set; }

    /// <summary>The RejectReason of a bad-request error.</summary>
    public int ErrorReason { get; set; }
}
