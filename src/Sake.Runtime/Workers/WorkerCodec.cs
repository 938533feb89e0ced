using System.Globalization;
using System.Text.Json;

namespace Sake.Workers;

/// <summary>
/// Moves a request into the worker pool and its response back, as UTF-8 JSON.
/// </summary>
/// <remarks>
/// <para>The wire format is <see cref="WorkerContext"/> and <see cref="WorkerResponse"/> exactly as the source-generated
/// <see cref="WorkerJsonContext"/> writes and reads them (property names, null members omitted, a JSON body embedded as
/// JSON, <c>BodyJson</c> always the last member). This codec writes and reads that same JSON directly with
/// <see cref="Utf8JsonWriter"/> and <see cref="Utf8JsonReader"/>, straight from the <see cref="Context"/> and into the
/// DTOs, because the boundary is on every worker request's path: it skips the serializer's metadata walk and the
/// intermediate objects, and it reads an embedded JSON body by slicing it instead of tokenizing it a second time
/// (the writer validated it). Tests hold the two in agreement in both directions.</para>
/// <para>Payloads are produced and consumed only inside this process, by this codec.</para>
/// </remarks>
internal static partial class WorkerCodec
{
    /// <summary>The request body the worker's Context serves (the original bytes, whichever field carried them).</summary>
    public static byte[] RequestBody(WorkerContext dto) => dto.BodyJson ?? dto.Body ?? dto.BodyBytes ?? [];

    /// <summary>Makes <paramref name="ctx"/>'s response exactly the one described (status, headers, body, items).</summary>
    public static void ApplyResponse(Context ctx, WorkerResponse r, bool includeItems)
    {
        var body = r.BodyJson ?? r.Body ?? r.BodyBytes ?? [];
        ctx.LoadResponse(r.Status, r.Headers, (Context.ContentKind)r.ContentKind, r.ContentType, body, r.Close);
        if (includeItems)
        {
            ctx.LoadItems(DecodeItems(r.Items));
        }
    }

    public static void LoadItems(Context ctx, List<WorkerItem>? items) => ctx.LoadItems(DecodeItems(items));

    private static Dictionary<string, object?>? DecodeItems(List<WorkerItem>? items)
    {
        if (items is null)
        {
            return null;
        }

        var map = new Dictionary<string, object?>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
        {
            map[item.Key] = item.Type switch
            {
                "s" => item.Value,
                "b" => item.Value == "true",
                "i" => int.Parse(item.Value!, CultureInfo.InvariantCulture),
                "l" => long.Parse(item.Value!, CultureInfo.InvariantCulture),
                "d" => double.Parse(item.Value!, CultureInfo.InvariantCulture),
                "m" => decimal.Parse(item.Value!, CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        return map;
    }

    /// <summary>Member names, pre-encoded once: the writer copies them instead of escaping them on every request.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Method = JsonEncodedText.Encode("Method");
        public static readonly JsonEncodedText Path = JsonEncodedText.Encode("Path");
        public static readonly JsonEncodedText RawTarget = JsonEncodedText.Encode("RawTarget");
        public static readonly JsonEncodedText QueryString = JsonEncodedText.Encode("QueryString");
        public static readonly JsonEncodedText RoutePattern = JsonEncodedText.Encode("RoutePattern");
        public static readonly JsonEncodedText HeaderBlock = JsonEncodedText.Encode("HeaderBlock");
        public static readonly JsonEncodedText RouteValues = JsonEncodedText.Encode("RouteValues");
        public static readonly JsonEncodedText Items = JsonEncodedText.Encode("Items");
        public static readonly JsonEncodedText Response = JsonEncodedText.Encode("Response");
        public static readonly JsonEncodedText BodyJson = JsonEncodedText.Encode("BodyJson");
        public static readonly JsonEncodedText Body = JsonEncodedText.Encode("Body");
        public static readonly JsonEncodedText BodyBytes = JsonEncodedText.Encode("BodyBytes");
        public static readonly JsonEncodedText Key = JsonEncodedText.Encode("Key");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("Type");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("Value");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("Status");
        public static readonly JsonEncodedText Headers = JsonEncodedText.Encode("Headers");
        public static readonly JsonEncodedText ContentKind = JsonEncodedText.Encode("ContentKind");
        public static readonly JsonEncodedText ContentType = JsonEncodedText.Encode("ContentType");
        public static readonly JsonEncodedText Close = JsonEncodedText.Encode("Close");
        public static readonly JsonEncodedText ErrorKind = JsonEncodedText.Encode("ErrorKind");
        public static readonly JsonEncodedText ErrorType = JsonEncodedText.Encode("ErrorType");
        public static readonly JsonEncodedText ErrorMessage = JsonEncodedText.Encode("ErrorMessage");
        public static readonly JsonEncodedText ErrorStackTrace = JsonEncodedText.Encode("ErrorStackTrace");
        public static readonly JsonEncodedText ErrorReason = JsonEncodedText.Encode("ErrorReason");
    }
}
