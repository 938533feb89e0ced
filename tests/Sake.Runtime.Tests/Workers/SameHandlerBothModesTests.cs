using System.Text.RegularExpressions;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Workers;

/// <summary>FR-006: one handler delegate, run as a loop route and as a worker route, answers byte for byte the same.</summary>
public sealed class SameHandlerBothModesTests
{
    private static readonly RequestHandler Handler = async ctx =>
    {
        if (ctx.Query("fail") == "1")
        {
            throw new InvalidOperationException("handler failed on purpose");
        }

        var body = await ctx.ReadBodyStringAsync();
        string user = (string)ctx.Items["user"]!;
        int n = (int)ctx.Items["n"]!;
        bool flag = (bool)ctx.Items["flag"]!;
        double route = (double)ctx.Items["route"]!;
        ctx.Items["handlerSet"] = "yes";
        ctx.AddHeader("Set-Cookie", "h=3; Path=/");
        ctx.Status(201).Text($"{ctx.Method} {ctx.Path} id={ctx.Param("id")} q={ctx.Query("q")} hdr={ctx.Header("X-Req")} " +
                             $"user={user} n={n + 1} flag={flag} route={route} body={body} pool={ctx.WorkerPoolSize}");
    };

    private static void Configure(SakeApp app, bool worker, bool recovery)
    {
        if (recovery)
        {
            app.Use(Middleware.Recovery());
        }

        app.Use(async ctx =>
        {
            ctx.Items["user"] = "ada";
            ctx.Items["n"] = 41;
            ctx.AddHeader("Set-Cookie", "g=1; Path=/");
            await ctx.Next();
            ctx.SetHeader("X-After", (ctx.Items.TryGetValue("handlerSet", out var v) ? v as string : null) ?? "none");
        });
        var group = app.Group("/api", ctx =>
        {
            ctx.SetHeader("X-Group", "g");
            ctx.AddHeader("Set-Cookie", "grp=2; Path=/api");
            ctx.Items["flag"] = true;
            return default;
        });
        var route = group.Post("/items/{id:int}", Handler).Use(ctx =>
        {
            ctx.Items["route"] = 1.5;
            return default;
        });
        if (worker)
        {
            route.Worker();
        }
    }

    private static async Task<string> SendAsync(bool worker, bool recovery, string request)
    {
        await using var server = await TestServer.StartAsync(app => Configure(app, worker, recovery), new Config { WorkerPoolSize = 2 });
        using var raw = server.Raw();
        await raw.SendAsync(request);
        var response = await raw.ReadResponseAsync();
        return Regex.Replace(response.Raw, "Date: [^\r]*\r\n", "Date: <date>\r\n");
    }

    [Theory]
    [InlineData(false, "POST /api/items/7?q=%C3%A9t%C3%A9 HTTP/1.1\r\nHost: x\r\nX-Req: r1\r\nContent-Length: 12\r\n\r\n{\"a\":\"b\\\"c\"}")]
    [InlineData(false, "POST /api/items/8?fail=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")]
    [InlineData(true, "POST /api/items/8?fail=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")]
    public async Task LoopAndWorkerResponsesAreIdenticalApartFromDate(bool recovery, string request)
    {
        string loop = await SendAsync(worker: false, recovery, request);
        string worker = await SendAsync(worker: true, recovery, request);
        Assert.Equal(loop, worker);
        Assert.Contains(request.Contains("fail=1", StringComparison.Ordinal) ? "HTTP/1.1 500 " : "HTTP/1.1 201 ", loop);
    }

    [Fact]
    public async Task TheSuccessCaseCarriesEveryPieceOfState()
    {
        string response = await SendAsync(worker: true, recovery: false,
            "POST /api/items/7?q=1 HTTP/1.1\r\nHost: x\r\nX-Req: r1\r\nContent-Length: 2\r\n\r\nhi");
        Assert.StartsWith("HTTP/1.1 201 Created\r\n", response);
        Assert.Contains("Set-Cookie: h=3; Path=/\r\n", response);
        Assert.Contains("X-Group: g\r\n", response);
        Assert.Contains("X-After: yes\r\n", response);
        Assert.EndsWith("POST /api/items/7 id=7 q=1 hdr=r1 user=ada n=42 flag=True route=1.5 body=hi pool=2", response);
    }
}
