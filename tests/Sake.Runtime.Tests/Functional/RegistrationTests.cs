using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class RegistrationTests
{
    [Fact]
    public void DelegateHandlersThatWereNotInterceptedFailAtStartupSayingWhy()
    {
        var app = new SakeApp();
        Delegate handler = (int n) => n * 2;
        // Called through delegates: a direct call is a build error (SAKE0009) now, and this tests the run-time backstop.
        Func<string, Delegate, RouteBuilder> get = app.Get;
        Func<string, Delegate, RouteBuilder> post = app.Post;
        Func<string, Delegate, RouteBuilder> put = app.Group("/g").Put;
        var e = Assert.Throws<InvalidOperationException>(() => get("/double/{n:int}", handler));
        Assert.Contains("source generator", e.Message);
        Assert.Contains("/double/{n:int}", e.Message);
        Assert.Throws<InvalidOperationException>(() => post("/x", handler));
        Assert.Throws<InvalidOperationException>(() => put("/x", handler));
    }

    [Fact]
    public void InvalidPatternsAndDuplicateRoutesFailAtRegistrationOrStart()
    {
        var app = new SakeApp();
        Assert.Throws<ArgumentException>(() => app.Get("/a/{", ctx => ctx.Text("x")));
        Assert.Throws<ArgumentException>(() => app.Get("no-slash", ctx => ctx.Text("x")));
        Assert.Throws<ArgumentException>(() => app.Group("api"));
        Assert.Throws<ArgumentException>(() => app.Map("TRACE", "/t", _ => default));
        app.Get("/dup/{a}", ctx => ctx.Text("1"));
        app.Group("/dup").Get("/{b}", ctx => ctx.Text("2"));
        Assert.Throws<ArgumentException>(() => app.StartAsync().GetAwaiter().GetResult());
    }

    [Fact]
    public async Task RoutesAndMiddlewareAreFrozenOnceStarted()
    {
        await using var server = await TestServer.StartAsync(app => app.Get("/x", ctx => ctx.Text("x")));
        Assert.Throws<InvalidOperationException>(() => server.App.Get("/y", ctx => ctx.Text("y")));
        Assert.Throws<InvalidOperationException>(() => server.App.Use(_ => default));
    }

    [Fact]
    public async Task MapWithAMethodNameIsTheGeneratorsEntryPointAndGroupsComposePrefixes()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Map("GET", "/mapped/{id:int}", ctx =>
            {
                ctx.Text($"{ctx.RoutePattern}|{ctx.Param("id")}|{ctx.Param("ID")}|{ctx.Param("nope") ?? "null"}");
                return default;
            });
            var v1 = app.Group("/api").Group("/v1");
            v1.Get("/", ctx => ctx.Text("v1 root"));
            v1.Delete("/items/{*path}", ctx => ctx.Text("deleted " + ctx.Param("path")));
        });
        Assert.Equal("/mapped/{id:int}|42|42|null", await server.Client.GetStringAsync("/mapped/42"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Client.GetAsync("/mapped/abc")).StatusCode);
        Assert.Equal("v1 root", await server.Client.GetStringAsync("/api/v1"));
        var deleted = await server.Client.DeleteAsync("/api/v1/items/a/b/c");
        Assert.Equal("deleted a/b/c", await deleted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task JsonRoundTripsThroughSourceGeneratedMetadataAndBadJsonIs400()
    {
        await using var server = await TestServer.StartAsync(app => app.Post("/point", async ctx =>
        {
            var p = await ctx.ReadJsonAsync(TestJson.Default.Point);
            ctx.Status(201).Json(p! with { X = p.X + 1 }, TestJson.Default.Point);
        }));
        var ok = await server.Client.PostAsync("/point", new StringContent("{\"X\":1,\"Y\":2}"));
        Assert.Equal(System.Net.HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal("{\"X\":2,\"Y\":2}", await ok.Content.ReadAsStringAsync());
        using var raw = server.Raw();
        await raw.SendAsync("POST /point HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{bad}GET /point HTTP/1.1\r\nHost: x\r\n\r\n");
        var bad = await raw.ReadResponseAsync();
        Assert.Equal(400, bad.Status);
        Assert.False(bad.ConnectionClose);
        Assert.Equal(405, (await raw.ReadResponseAsync()).Status);
    }
}

public sealed record Point(int X, int Y);

[System.Text.Json.Serialization.JsonSerializable(typeof(Point))]
internal sealed partial class TestJson : System.Text.Json.Serialization.JsonSerializerContext;

public sealed class ListenTests
{
    [Fact]
    public async Task ASecondServerCannotBindAPortThatIsInUse()
    {
        await using var first = await TestServer.StartAsync(app => app.Get("/x", ctx => ctx.Text("first")));
        var second = new SakeApp();
        second.Get("/x", ctx => ctx.Text("second"));
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => second.StartAsync($"http://127.0.0.1:{first.Port}").GetAwaiter().GetResult());
        Assert.Equal("first", await first.Client.GetStringAsync("/x"));
    }
}
