using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sake.Workers;

/// <summary>Source-generated JSON for the worker boundary: NativeAOT-safe, no reflection.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkerContext))]
[JsonSerializable(typeof(WorkerResponse))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The instance used at the boundary. Relaxed escaping: the JSON never reaches a browser, so there is no
    /// reason to inflate every non-ASCII character or quote-like byte into a \u escape.
    /// </summary>
    public static WorkerJsonContext Boundary { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
