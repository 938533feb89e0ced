using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Generated;

public enum OrderStatus
{
    Draft,
    Placed,
}

public sealed record Money(decimal Amount, string Currency = "EUR");

public sealed record OrderLine(string Sku, int Qty, Money Price, int? Discount);

/// <summary>A payload no JsonSerializerContext lists: Sake's generator emits its metadata.</summary>
public sealed class StoreOrder
{
    public Guid Id { get; set; }

    [JsonPropertyName("placed_at")]
    public DateTimeOffset PlacedAt { get; set; }

    public OrderStatus Status { get; set; }

    public List<OrderLine> Lines { get; init; } = new();

    public IReadOnlyList<string> Tags { get; set; } = [];

    public Dictionary<string, int> Counters { get; set; } = new();

    public int[] Scores { get; set; } = [];

    public DateTime? ShippedAt { get; set; }

    [JsonIgnore]
    public string Internal { get; set; } = "";

    public StoreOrder? Parent { get; set; }
}

public static partial class StoreApi
{
    [Post("/orders")]
    public static StoreOrder Echo(StoreOrder order, Context ctx)
    {
        order.Tags = [.. order.Tags, ctx.InWorkerPool ? "worker" : "loop"];
        order.Internal = "never serialized";
        return order;
    }

    [Post("/orders-worker"), Worker]
    public static StoreOrder EchoOnWorker(StoreOrder order, Context ctx) => Echo(order, ctx);

    [Get("/totals")]
    public static Dictionary<string, Money> Totals() => new() { ["eu"] = new(12.5m), ["us"] = new(3m, "USD") };
}

public sealed class GeneratedJsonTests
{
    private const string Request = """
        {
          "id": "6f1c7e2a-8b4d-4c7e-9a1f-5d2b8e7c4a90",
          "placed_at": "2026-11-28T10:00:00+01:00",
          "STATUS": 1,
          "lines": [ { "sku": "A-1", "qty": 2, "price": { "amount": 9.5 }, "discount": null },
                     { "Sku": "B-2", "Qty": 1, "Price": { "Amount": "3", "currency": "USD" }, "Discount": 10 } ],
          "tags": ["new"],
          "counters": { "views": 3 },
          "scores": [1, 2, 3],
          "shippedAt": null,
          "internal": "ignored on the way in too",
          "parent": { "id": "00000000-0000-0000-0000-000000000001", "lines": [] }
        }
        """;

    [Theory]
    [InlineData("/orders", "loop")]
    [InlineData("/orders-worker", "worker")]
    public async Task PayloadsWithoutAUserContextRoundTripWithWebDefaults(string path, string where)
    {
        await using var server = await TestServer.StartAsync(app => app.MapStoreApi(), new Config { WorkerPoolSize = 1 });
        var response = await server.Client.PostAsync(path, new StringContent(Request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;

        // camelCase names, [JsonPropertyName] honoured, [JsonIgnore] left out, enums as numbers.
        Assert.Equal(
            ["id", "placed_at", "status", "lines", "tags", "counters", "scores", "shippedAt", "parent"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("6f1c7e2a-8b4d-4c7e-9a1f-5d2b8e7c4a90", root.GetProperty("id").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(1)), root.GetProperty("placed_at").GetDateTimeOffset());
        Assert.Equal(1, root.GetProperty("status").GetInt32());

        // Case-insensitive reads, constructor records with a default parameter, numbers from strings, nullables.
        var lines = root.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal("""{"sku":"A-1","qty":2,"price":{"amount":9.5,"currency":"EUR"},"discount":null}""", lines[0].GetRawText());
        Assert.Equal("""{"sku":"B-2","qty":1,"price":{"amount":3,"currency":"USD"},"discount":10}""", lines[1].GetRawText());

        Assert.Equal(["new", where], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, root.GetProperty("counters").GetProperty("views").GetInt32());
        Assert.Equal([1, 2, 3], root.GetProperty("scores").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("shippedAt").ValueKind);
        Assert.Equal("00000000-0000-0000-0000-000000000001", root.GetProperty("parent").GetProperty("id").GetString());
    }

    [Fact]
    public async Task InvalidJsonForAGeneratedTypeIs400()
    {
        await using var server = await TestServer.StartAsync(app => app.MapStoreApi());
        var response = await server.Client.PostAsync("/orders", new StringContent("""{"id": "not a guid"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DictionaryResultsOfRecords()
    {
        await using var server = await TestServer.StartAsync(app => app.MapStoreApi());
        Assert.Equal(
            """{"eu":{"amount":12.5,"currency":"EUR"},"us":{"amount":3,"currency":"USD"}}""",
            await server.Client.GetStringAsync("/totals"));
    }
}
