using System.Net;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Generated;

/// <summary>Middleware shared by handler classes.</summary>
public static class Guards
{
    /// <summary>Answers 401 unless the request carries X-Key: secret.</summary>
    public static ValueTask RequireKey(Context ctx)
    {
        if (ctx.Header("X-Key") != "secret")
        {
            ctx.AbortWithStatus(401);
            return default;
        }

        ctx.AddHeader("X-Trace", "key");
        return ctx.Next();
    }
}

/// <summary>Class middleware (Trace) runs before method middleware (RequireKey), both on the loop.</summary>
[Use(nameof(Trace))]
public static partial class GuardedApi
{
    [Get("/guarded/{n:int}"), Use(typeof(Guards), nameof(Guards.RequireKey))]
    public static string Guarded(int n, Context ctx) => $"{n} {ctx.InWorkerPool}";

    [Get("/guarded-worker/{n:int}"), Use(typeof(Guards), nameof(Guards.RequireKey)), Worker]
    public static string GuardedOnWorker(int n, Context ctx) => $"{n} {ctx.InWorkerPool}";

    [Get("/open")]
    public static string Open() => "open";

    private static ValueTask Trace(Context ctx)
    {
        ctx.AddHeader("X-Trace", "class");
        return ctx.Next();
    }
}

public sealed class GeneratedMiddlewareTests
{
    [Fact]
    public async Task ClassAndMethodMiddlewareRunInOrderOnLoopAndWorkerRoutes()
    {
        await using var server = await TestServer.StartAsync(app => app.MapGuardedApi(), new Config { WorkerPoolSize = 1 });
        foreach (var (path, inPool) in new[] { ("/guarded/5", false), ("/guarded-worker/5", true) })
        {
            var denied = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.Equal(["class"], denied.Headers.GetValues("X-Trace"));

            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Key", "secret");
            var allowed = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal($"5 {inPool}", await allowed.Content.ReadAsStringAsync());
            Assert.Equal(["class", "key"], allowed.Headers.GetValues("X-Trace"));
        }

        var open = await server.Client.GetAsync("/open");
        Assert.Equal("open", await open.Content.ReadAsStringAsync());
        Assert.Equal(["class"], open.Headers.GetValues("X-Trace"));
    }
}
