using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Sake.Runtime.Tests.Functional;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Generated;

public enum Shape
{
    Circle,
    Square,
}

public sealed record Area(string Shape, double Value, bool InWorkerPool);

[JsonSerializable(typeof(Area))]
internal sealed partial class GeneratedTestJson : JsonSerializerContext;

/// <summary>Attribute-style handlers; the generator writes <c>MapGeometryApi()</c> and every binding below.</summary>
public static partial class GeometryApi
{
    [Get("/area/{shape}/{size:double}")]
    public static Area AreaOf(Shape shape, double size, Context ctx) =>
        new(shape.ToString(), shape == Shape.Circle ? Math.Round(Math.PI * size * size, 3) : size * size, ctx.InWorkerPool);

    [Get("/area-worker/{shape}/{size:double}"), Worker]
    public static Area AreaOnWorker(Shape shape, double size, Context ctx) => AreaOf(shape, size, ctx);

    [Get("/owners/{ownerId:int}/pets/{petName}")]
    public static string Pet([FromRoute(Name = "ownerId")] int owner, [FromRoute] string petName) => $"{owner}:{petName}";

    [Get("/search")]
    public static string Search(string q, int page = 1, [FromQuery(Name = "per-page")] int? perPage = null, [FromHeader(Name = "X-Tenant")] string tenant = "public") =>
        $"{q}|{page}|{perPage?.ToString() ?? "none"}|{tenant}";

    [Post("/points/flip")]
    public static async Task<Point> Flip(Point point, CancellationToken aborted)
    {
        await Task.Yield();
        aborted.ThrowIfCancellationRequested();
        return new Point(point.Y, point.X);
    }

    [Post("/points/flip-worker"), Worker]
    public static Point FlipOnWorker(Point point) => new(point.Y, point.X);

    [Post("/points/maybe")]
    public static string Maybe(Point? point = null) => point is null ? "none" : $"{point.X},{point.Y}";

    [Put("/echo/{id:int}"), Patch("/echo/{id:int}")]
    private static string Echo(int id, [FromBody] string text) => $"{id}:{text}";

    [Delete("/items/{id:guid}")]
    public static void Remove(Guid id, Context ctx) => ctx.Status(204);

    /// <summary>A static method used as a fluent method-group handler.</summary>
    public static string Greet(string name, int? times) => string.Join(" ", Enumerable.Repeat($"hi {name}", times ?? 1));

    [Get("/checked/{n:int}")]
    public static Area Checked(int n, Context ctx)
    {
        if (n < 0)
        {
            ctx.AbortWithError(422, "n must not be negative");
            return null!;
        }

        return new Area("checked", n, ctx.InWorkerPool);
    }

    [Get("/bytes/{n:int}")]
    public static byte[] Bytes(int n) => Enumerable.Range(0, n).Select(i => (byte)i).ToArray();
}

/// <summary>Generated registration, binding and result writing, over real sockets.</summary>
public sealed class GeneratedHandlerTests
{
    /// <summary>The "error" member of a JSON error body (its escaping is the encoder's business).</summary>
    private static async Task<string?> ErrorOf(HttpResponseMessage response)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").GetString();
    }

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(app => app.Group("/api").MapGeometryApi(), new Config { WorkerPoolSize = 2 });

    [Fact]
    public async Task RouteValuesAreParsedAndTheResultIsJsonThroughTheUserContext()
    {
        await using var server = await StartAsync();
        var r = await server.Client.GetAsync("/api/area/circle/2");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new Area("Circle", 12.566, false), await r.Content.ReadFromJsonAsync(GeneratedTestJson.Default.Area));
        Assert.Equal(new Area("Square", 9, true), await server.Client.GetFromJsonAsync("/api/area-worker/Square/3", GeneratedTestJson.Default.Area));
    }

    [Fact]
    public async Task AValueThatDoesNotParseIs400NamingTheParameter()
    {
        await using var server = await StartAsync();
        var r = await server.Client.GetAsync("/api/area/triangle/2");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("Route value 'shape' is not a valid Shape.", await ErrorOf(r));
        // The request was well-formed HTTP: the connection stays usable.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/area/square/2")).StatusCode);

        // An enum binds by name (any case) or by the number of a defined member; other numbers are a 400.
        Assert.Equal(new Area("Square", 4, false), await server.Client.GetFromJsonAsync("/api/area/1/2", GeneratedTestJson.Default.Area));
        r = await server.Client.GetAsync("/api/area/42/2");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("Route value 'shape' is not a valid Shape.", await ErrorOf(r));

        r = await server.Client.GetAsync("/api/search?q=x&page=two");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("Query parameter 'page' is not a valid int.", await ErrorOf(r));
    }

    [Fact]
    public async Task QueryAndHeaderValuesUseNamesAndDefaults()
    {
        await using var server = await StartAsync();
        Assert.Equal("shoes|1|none|public", await server.Client.GetStringAsync("/api/search?q=shoes"));
        Assert.Equal("7:rex", await server.Client.GetStringAsync("/api/owners/7/pets/rex"));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/search?q=a+b&page=3&per-page=50");
        request.Headers.Add("X-Tenant", "acme");
        var r = await server.Client.SendAsync(request);
        Assert.Equal("a b|3|50|acme", await r.Content.ReadAsStringAsync());

        r = await server.Client.GetAsync("/api/search");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("Query parameter 'q' is required.", await ErrorOf(r));
    }

    [Fact]
    public async Task JsonBodiesBindOnTheLoopAndOnWorkers()
    {
        await using var server = await StartAsync();
        foreach (var path in new[] { "/api/points/flip", "/api/points/flip-worker" })
        {
            var r = await server.Client.PostAsJsonAsync(path, new Point(1, 2), TestJson.Default.Point);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(new Point(2, 1), await r.Content.ReadFromJsonAsync(TestJson.Default.Point));

            r = await server.Client.PostAsync(path, new StringContent("{\"X\":", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);

            r = await server.Client.PostAsync(path, new StringContent("null", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("The request body ('point') is required.", await ErrorOf(r));

            r = await server.Client.PostAsync(path, new ByteArrayContent([]));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("The request body ('point') is required.", await ErrorOf(r));
        }

        // An optional body that is absent binds the default; present, it binds as usual.
        Assert.Equal("none", await (await server.Client.PostAsync("/api/points/maybe", new ByteArrayContent([]))).Content.ReadAsStringAsync());
        Assert.Equal("3,4", await (await server.Client.PostAsJsonAsync("/api/points/maybe", new Point(3, 4), TestJson.Default.Point)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PrivateHandlersSeveralRoutesVoidAndBytes()
    {
        await using var server = await StartAsync();
        var put = await server.Client.PutAsync("/api/echo/7", new StringContent("héllo"));
        Assert.Equal("7:héllo", await put.Content.ReadAsStringAsync());
        var patch = await server.Client.PatchAsync("/api/echo/8", new StringContent("x"));
        Assert.Equal("8:x", await patch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PutAsync("/api/echo/nine", new StringContent("x"))).StatusCode);

        var delete = await server.Client.DeleteAsync($"/api/items/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var bytes = await server.Client.GetAsync("/api/bytes/4");
        Assert.Equal("application/octet-stream", bytes.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, await bytes.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AHandlerThatAbortedKeepsItsAnswerAndItsResultIsIgnored()
    {
        await using var server = await StartAsync();
        var r = await server.Client.GetAsync("/api/checked/-1");
        Assert.Equal((HttpStatusCode)422, r.StatusCode);
        Assert.Equal("n must not be negative", await ErrorOf(r));
        Assert.Equal(new Area("checked", 2, false), await server.Client.GetFromJsonAsync("/api/checked/2", GeneratedTestJson.Default.Area));
    }

    [Fact]
    public async Task FluentLambdasAndMethodGroupsAreInterceptedAndBound()
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/fluent/double/{n:int}", (int n, Context ctx) => new Area("double", n * 2, ctx.InWorkerPool)).Worker();
                app.Get("/fluent/hello/{name}", GeometryApi.Greet);
                app.Post("/fluent/flip", async (Point p) =>
                {
                    await Task.Yield();
                    return new Point(p.Y, p.X);
                });
                app.Group("/g").Get("/search", ([FromQuery(Name = "q")] string query, [FromHeader(Name = "X-Page")] int? page) => $"{query}:{page}");
            },
            new Config { WorkerPoolSize = 1 });

        Assert.Equal(new Area("double", 42, true), await server.Client.GetFromJsonAsync("/fluent/double/21", GeneratedTestJson.Default.Area));
        Assert.Equal("hi ada hi ada", await server.Client.GetStringAsync("/fluent/hello/ada?times=2"));
        var flip = await server.Client.PostAsJsonAsync("/fluent/flip", new Point(5, 6), TestJson.Default.Point);
        Assert.Equal(new Point(6, 5), await flip.Content.ReadFromJsonAsync(TestJson.Default.Point));
        var request = new HttpRequestMessage(HttpMethod.Get, "/g/search?q=shoes");
        request.Headers.Add("X-Page", "3");
        Assert.Equal("shoes:3", await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync());

        var bad = await server.Client.GetAsync("/fluent/hello/ada?times=many");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Query parameter 'times' is not a valid int.", await ErrorOf(bad));
    }
}
