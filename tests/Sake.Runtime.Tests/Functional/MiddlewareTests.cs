using System.Net;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class MiddlewareTests
{
    private static RequestHandler Trace(List<string> log, string name) => async ctx =>
    {
        log.Add(name + ">");
        await ctx.Next();
        log.Add("<" + name);
    };

    [Fact]
    public async Task GlobalGroupAndRouteMiddlewareRunInOrderAroundTheHandler()
    {
        var log = new List<string>();
        await using var server = await TestServer.StartAsync(app =>
        {
            var api = app.Group("/api", Trace(log, "group"));
            var v1 = api.Group("/v1", Trace(log, "v1"));
            v1.Get("/x", ctx =>
            {
                log.Add("handler");
                ctx.Text("ok");
            }).Use(Trace(log, "route"));
            app.Use(Trace(log, "global"));
        });

        Assert.Equal("ok", await server.Client.GetStringAsync("/api/v1/x"));
        Assert.Equal(["global>", "group>", "v1>", "route>", "handler", "<route", "<v1", "<group", "<global"], log);
    }

    [Fact]
    public async Task MiddlewareThatDoesNotCallNextStillLetsTheChainContinue()
    {
        var log = new List<string>();
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(ctx =>
            {
                log.Add("plain");
                return default;
            });
            app.Get("/x", ctx => ctx.Text("ok"));
        });

        Assert.Equal("ok", await server.Client.GetStringAsync("/x"));
        Assert.Equal(["plain"], log);
    }

    [Fact]
    public async Task AbortStopsTheChainAndAbortWithErrorWritesJson()
    {
        int handlerRuns = 0;
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Group("/status", ctx =>
            {
                ctx.AbortWithStatus(401);
                return default;
            }).Get("/x", ctx => handlerRuns++);
            app.Group("/error", ctx =>
            {
                ctx.AbortWithError(429, "slow down");
                return default;
            }).Get("/x", ctx => handlerRuns++);
            app.Group("/keep", async ctx =>
            {
                ctx.Status(202).Text("kept");
                ctx.Abort();
                await ctx.Next();
            }).Get("/x", ctx => handlerRuns++);
        });

        var status = await server.Client.GetAsync("/status/x");
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Equal("", await status.Content.ReadAsStringAsync());
        var error = await server.Client.GetAsync("/error/x");
        Assert.Equal((HttpStatusCode)429, error.StatusCode);
        Assert.Equal("application/json; charset=utf-8", error.Content.Headers.ContentType!.ToString());
        Assert.Equal("{\"error\":\"slow down\"}", await error.Content.ReadAsStringAsync());
        var kept = await server.Client.GetAsync("/keep/x");
        Assert.Equal(HttpStatusCode.Accepted, kept.StatusCode);
        Assert.Equal("kept", await kept.Content.ReadAsStringAsync());
        Assert.Equal(0, handlerRuns);
    }

    [Fact]
    public async Task GlobalMiddlewareSeesNotFoundAndMethodNotAllowed()
    {
        var seen = new List<string>();
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(async ctx =>
            {
                await ctx.Next();
                seen.Add($"{ctx.Method} {ctx.Path} {ctx.StatusCode}");
            });
            app.Post("/only-post", ctx => ctx.Text("ok"));
        });

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/nope")).StatusCode);
        var r = await server.Client.GetAsync("/only-post");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
        Assert.Equal("POST", string.Join(",", r.Content.Headers.Allow));
        Assert.Equal(["GET /nope 404", "GET /only-post 405"], seen);
    }

    [Fact]
    public async Task RecoveryTurnsExceptionsInto500JsonAndHidesDetailsByDefault()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(Middleware.Recovery());
            app.Get("/sync", ctx => throw new InvalidOperationException("secret detail"));
            app.Get("/async", async ctx =>
            {
                await Task.Yield();
                throw new InvalidOperationException("secret detail");
            });
        });

        foreach (var path in new[] { "/sync", "/async" })
        {
            var r = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
            Assert.Equal("{\"error\":\"Internal Server Error\"}", await r.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/still-alive")).StatusCode);
    }

    [Fact]
    public async Task WithoutRecoveryTheServerStillAnswers500AndDetailedErrorsShowTheMessage()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Get("/boom", ctx => throw new InvalidOperationException("visible detail")),
            new Config { DetailedErrors = true });
        using var raw = server.Raw();
        await raw.SendAsync("GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
        var first = await raw.ReadResponseAsync();
        Assert.Equal(500, first.Status);
        Assert.Equal("{\"error\":\"visible detail\"}", first.Body);
        Assert.False(first.ConnectionClose);
        Assert.Equal(500, (await raw.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task ItemsFlowFromMiddlewareToHandlerAndAreClearedBetweenRequests()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Group("/set", ctx =>
            {
                ctx.Items["user"] = "ada";
                return default;
            }).Get("/x", ctx => ctx.Text((string)ctx.Items["user"]!));
            app.Get("/read", ctx => ctx.Text(ctx.Items.ContainsKey("user") ? "leaked" : "clean"));
        });
        using var raw = server.Raw();
        await raw.SendAsync("GET /set/x HTTP/1.1\r\nHost: x\r\n\r\nGET /read HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ada", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("clean", (await raw.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task ResponseHeadersIncludingRepeatedSetCookieAreWritten()
    {
        await using var server = await TestServer.StartAsync(app => app.Get("/c", ctx =>
        {
            ctx.AddHeader("Set-Cookie", "a=1").AddHeader("Set-Cookie", "b=2").SetHeader("X-One", "1").SetHeader("X-One", "2");
            ctx.Redirect(302, "/elsewhere");
        }));
        using var raw = server.Raw();
        await raw.SendAsync("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(302, r.Status);
        Assert.Equal("/elsewhere", r.Header("Location"));
        Assert.Equal(["a=1", "b=2"], r.HeaderValues("Set-Cookie"));
        Assert.Equal(["2"], r.HeaderValues("X-One"));
    }

    [Fact]
    public async Task HeaderInjectionThroughValuesIsRefused()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(Middleware.Recovery());
            app.Get("/inject", ctx => ctx.SetHeader("X-A", "v\r\nSet-Cookie: evil=1"));
        });
        var r = await server.Client.GetAsync("/inject");
        Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
        Assert.False(r.Headers.Contains("Set-Cookie"));
    }
}
