using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class CorsTests
{
    [Fact]
    public async Task PermissiveDefaultAnswersPreflightAndAnnotatesRequests()
    {
        int handlerRuns = 0;
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(Middleware.Cors());
            app.Put("/items/{id}", ctx =>
            {
                handlerRuns++;
                ctx.Text("put");
            });
        });
        using var raw = server.Raw();
        await raw.SendAsync("OPTIONS /items/1 HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: X-Token\r\n\r\n");
        var pre = await raw.ReadResponseAsync();
        Assert.Equal(204, pre.Status);
        Assert.Equal("*", pre.Header("Access-Control-Allow-Origin"));
        Assert.Contains("PUT", pre.Header("Access-Control-Allow-Methods"));
        Assert.Equal("X-Token", pre.Header("Access-Control-Allow-Headers"));
        Assert.Equal("600", pre.Header("Access-Control-Max-Age"));
        Assert.Equal(0, handlerRuns);

        await raw.SendAsync("PUT /items/1 HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example\r\nContent-Length: 0\r\n\r\n");
        var actual = await raw.ReadResponseAsync();
        Assert.Equal("put", actual.Body);
        Assert.Equal("*", actual.Header("Access-Control-Allow-Origin"));
        Assert.Equal(1, handlerRuns);
    }

    [Fact]
    public async Task AllowListEchoesKnownOriginsAndIgnoresOthers()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(Middleware.Cors(new CorsOptions { AllowedOrigins = ["https://good.example"], AllowCredentials = true, ExposedHeaders = ["X-Total"] }));
            app.Get("/data", ctx => ctx.Text("data"));
        });
        using var raw = server.Raw();
        await raw.SendAsync("GET /data HTTP/1.1\r\nHost: x\r\nOrigin: https://good.example\r\n\r\n");
        var good = await raw.ReadResponseAsync();
        Assert.Equal("https://good.example", good.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", good.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("Origin", good.Header("Vary"));
        Assert.Equal("X-Total", good.Header("Access-Control-Expose-Headers"));

        await raw.SendAsync("GET /data HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n");
        var evil = await raw.ReadResponseAsync();
        Assert.Equal("data", evil.Body);
        Assert.Null(evil.Header("Access-Control-Allow-Origin"));

        await raw.SendAsync("OPTIONS /data HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n\r\n");
        var evilPreflight = await raw.ReadResponseAsync();
        Assert.Equal(204, evilPreflight.Status);
        Assert.Null(evilPreflight.Header("Access-Control-Allow-Origin"));
        Assert.Null(evilPreflight.Header("Access-Control-Allow-Methods"));
    }
}
