using System.Net;
using Microsoft.Extensions.Logging;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Routing;

/// <summary>
/// Which matcher a started app uses: this assembly's generated route table when it knows every registered route, the
/// runtime tree otherwise; answers are the same either way (RouteTableTests compares the two on random route sets).
/// </summary>
public sealed class GeneratedRouteTableTests
{
    [Fact]
    public async Task AnAppOfConstantRoutesIsMatchedByTheGeneratedTable()
    {
        var log = new ListLogger();
        await using var server = await TestServer.StartAsync(
            app =>
        {
            app.MapHelloApi();
            app.Get("/gen-table/items/{id:int}", ctx => ctx.Text("item " + ctx.Param("id")));
            app.Get("/gen-table/items/{slug}", ctx => ctx.Text("slug " + ctx.Param("slug")));
            app.Post("/gen-table/items", ctx => ctx.Text("created"));
            app.Get("/gen-table/files/{*path}", ctx => ctx.Text("file " + ctx.Param("path")));
        },
            new Config { LoggerFactory = log });

        Assert.NotNull(server.App.RouteTable);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Debug && e.Message == "7 routes, matched by the generated route table of Sake.Runtime.Tests.");
        Assert.Equal("Hello, World!", await server.Client.GetStringAsync("/plaintext"));
        Assert.Equal("Hello, Ada! Hello, Ada!", await server.Client.GetStringAsync("/hello/Ada?times=2"));
        Assert.Equal("item 7", await server.Client.GetStringAsync("/gen-table/items/7"));
        Assert.Equal("slug seven", await server.Client.GetStringAsync("/GEN-TABLE/Items/seven"));
        Assert.Equal("file a/b.css", await server.Client.GetStringAsync("/gen-table/files/a/b.css"));
        Assert.Equal("file ", await server.Client.GetStringAsync("/gen-table/files"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/gen-table/other")).StatusCode);

        var notAllowed = await server.Client.DeleteAsync("/gen-table/items");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);
        Assert.Equal("POST", string.Join(", ", notAllowed.Content.Headers.Allow));

        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/gen-table/items/7"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task AGroupPrefixOrARunTimePatternFallsBackToTheRuntimeTree()
    {
        var log = new ListLogger();
        await using var grouped = await TestServer.StartAsync(app => app.Group("/v1").MapHelloApi(), new Config { LoggerFactory = log });
        Assert.Null(grouped.App.RouteTable);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Debug && e.Message.StartsWith("3 routes, matched by the runtime route tree (GET /v1/", StringComparison.Ordinal));
        Assert.Equal("Hello, World!", await grouped.Client.GetStringAsync("/v1/plaintext"));

        string pattern = "/gen-table/" + Guid.NewGuid().ToString("N");
        await using var dynamic = await TestServer.StartAsync(app =>
        {
            app.MapHelloApi();
            app.Get(pattern, ctx => ctx.Text("dynamic"));
        });
        Assert.Null(dynamic.App.RouteTable);
        Assert.Equal("dynamic", await dynamic.Client.GetStringAsync(pattern));
        Assert.Equal("Hello, World!", await dynamic.Client.GetStringAsync("/plaintext"));
    }
}
