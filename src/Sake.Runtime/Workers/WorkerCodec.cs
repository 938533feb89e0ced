using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Sake.Workers;

/// <summary>Moves a request into a <see cref="WorkerContext"/> and a response back, as UTF-8 JSON.</summary>
internal static class WorkerCodec
{
    public static byte[] SerializeRequest(Context ctx, ReadOnlySpan<byte> body)
    {
        var dto = new WorkerContext
        {
            Method = ctx.Method,
            Path = ctx.Path,
            RawTarget = ctx.Uri,
            QueryString = ctx.QueryString,
            RoutePattern = ctx.RoutePattern,
            RouteValues = ctx.GetRouteValues(),
            Items = EncodeItems(ctx.ItemsOrNull),
            Response = CaptureResponse(ctx, includeItems: false),
        };
        var headerBlock = ctx.RawHeaderBlock;
        dto.HeaderBlock = headerBlock.IsEmpty ? null : headerBlock.ToArray();
        SetBody(body, out var json, out var text, out var bytes);
        dto.BodyJson = json;
        dto.Body = text;
        dto.BodyBytes = bytes;
        return JsonSerializer.SerializeToUtf8Bytes(dto, WorkerJsonContext.Boundary.WorkerContext);
    }

    public static WorkerContext DeserializeRequest(byte[] utf8)
    {
        RawJsonConverter.CurrentPayload = utf8;
        try
        {
            return JsonSerializer.Deserialize(utf8, WorkerJsonContext.Boundary.WorkerContext)
                ?? throw new InvalidOperationException("The worker request payload was empty.");
        }
        finally
        {
            RawJsonConverter.CurrentPayload = null;
        }
    }

    public static byte[] SerializeResponse(Context ctx) =>
        JsonSerializer.SerializeToUtf8Bytes(CaptureResponse(ctx, includeItems: true), WorkerJsonContext.Boundary.WorkerResponse);

    public static WorkerResponse DeserializeResponse(byte[] utf8)
    {
        RawJsonConverter.CurrentPayload = utf8;
        try
        {
            return JsonSerializer.Deserialize(utf8, WorkerJsonContext.Boundary.WorkerResponse)
                ?? throw new InvalidOperationException("The worker response payload was empty.");
        }
        finally
        {
            RawJsonConverter.CurrentPayload = null;
        }
    }

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

    private static WorkerResponse CaptureResponse(Context ctx, bool includeItems)
    {
        var r = new WorkerResponse
        {
            Status = ctx.StatusCode,
            ContentKind = (int)ctx.ResponseContentKind,
            ContentType = ctx.ResponseContentType,
            Close = ctx.CloseRequested,
            Items = includeItems ? EncodeItems(ctx.ItemsOrNull) : null,
        };
        foreach (var h in ctx.ResponseHeaders)
        {
            r.Headers.Add([h.Key, h.Value]);
        }

        SetBody(ctx.ResponseBody, out var json, out var text, out var bytes);
        r.BodyJson = json;
        r.Body = text;
        r.BodyBytes = bytes;
        return r;
    }

    /// <summary>One JSON value is embedded as JSON, other valid UTF-8 goes as a JSON string, anything else as Base64.</summary>
    private static void SetBody(ReadOnlySpan<byte> body, out byte[]? json, out byte[]? text, out byte[]? bytes)
    {
        json = text = bytes = null;
        if (body.IsEmpty)
        {
            return;
        }

        if (RawJsonConverter.IsSingleJsonValue(body))
        {
            json = body.ToArray();
        }
        else if (Utf8.IsValid(body))
        {
            text = body.ToArray();
        }
        else
        {
            bytes = body.ToArray();
        }
    }

    private static List<WorkerItem>? EncodeItems(Dictionary<string, object?>? items)
    {
        if (items is null || items.Count == 0)
        {
            return null;
        }

        var list = new List<WorkerItem>(items.Count);
        foreach (var (key, value) in items)
        {
            list.Add(value switch
            {
                null => new WorkerItem { Key = key, Type = "n" },
                string s => new WorkerItem { Key = key, Type = "s", Value = s },
                bool b => new WorkerItem { Key = key, Type = "b", Value = b ? "true" : "false" },
                int i => new WorkerItem { Key = key, Type = "i", Value = i.ToString(CultureInfo.InvariantCulture) },
                long l => new WorkerItem { Key = key, Type = "l", Value = l.ToString(CultureInfo.InvariantCulture) },
                double d => new WorkerItem { Key = key, Type = "d", Value = d.ToString("R", CultureInfo.InvariantCulture) },
                decimal m => new WorkerItem { Key = key, Type = "m", Value = m.ToString(CultureInfo.InvariantCulture) },
                _ => throw new WorkerBoundaryException(
                    $"Items[\"{key}\"] holds a {value.GetType().Name}, which cannot cross into the worker pool: only string, bool, int, long, double, decimal and null values can. Store a primitive (e.g. an id) instead, or run this route on the loop."),
            });
        }

        return list;
    }

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

    public static void LoadItems(Context ctx, List<WorkerItem>? items) => ctx.LoadItems(DecodeItems(items));
}
