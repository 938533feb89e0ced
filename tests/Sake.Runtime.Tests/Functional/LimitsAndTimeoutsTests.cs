using System.Diagnostics;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class LimitsAndTimeoutsTests
{
    [Fact]
    public async Task RejectModeAnswers503WithRetryAfterWhenFullAndNoConnectionIsIdle()
    {
        var release = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/hold", async ctx =>
            {
                await release.Task;
                ctx.Text("held");
            }),
            new Config { MaxConnections = 2, ConnectionLimitMode = ConnectionLimitMode.Reject, RetryAfterSeconds = 7 });

        using var a = server.Raw();
        using var b = server.Raw();
        await a.SendAsync("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
        await b.SendAsync("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
        await Task.Delay(200);
        using var c = server.Raw();
        var rejected = await c.ReadResponseAsync();
        Assert.Equal(503, rejected.Status);
        Assert.Equal("7", rejected.Header("Retry-After"));
        Assert.True(rejected.ConnectionClose);
        Assert.True(await c.IsClosedByServerAsync());

        release.SetResult();
        Assert.Equal("held", (await a.ReadResponseAsync()).Body);
        Assert.Equal("held", (await b.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task RejectModeClosesAnIdleKeepAliveConnectionFirst()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Get("/x", ctx => ctx.Text("x")),
            new Config { MaxConnections = 1, ConnectionLimitMode = ConnectionLimitMode.Reject });

        using var idle = server.Raw();
        await idle.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("x", (await idle.ReadResponseAsync()).Body);

        using var fresh = server.Raw();
        await fresh.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await fresh.ReadResponseAsync()).Status);
        Assert.True(await idle.IsClosedByServerAsync());
    }

    [Fact]
    public async Task QueueModeHoldsNewConnectionsInTheBacklogUntilOneCloses()
    {
        var release = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/hold", async ctx =>
                {
                    await release.Task;
                    ctx.Text("held");
                });
                app.Get("/x", ctx => ctx.Text("x"));
            },
            new Config { MaxConnections = 1, ConnectionLimitMode = ConnectionLimitMode.Queue });

        using var busy = server.Raw();
        await busy.SendAsync("GET /hold HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        await Task.Delay(100);
        using var queued = server.Raw();
        await queued.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        var early = queued.ReadResponseAsync(timeout: TimeSpan.FromMilliseconds(400));
        await Assert.ThrowsAsync<TimeoutException>(() => early);

        release.SetResult();
        Assert.Equal("held", (await busy.ReadResponseAsync()).Body);
        Assert.Equal("x", (await queued.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task QueueModeEvictsAnIdleKeepAliveConnection()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Get("/x", ctx => ctx.Text("x")),
            new Config { MaxConnections = 1, ConnectionLimitMode = ConnectionLimitMode.Queue });
        using var idle = server.Raw();
        await idle.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        await idle.ReadResponseAsync();
        using var next = server.Raw();
        await next.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("x", (await next.ReadResponseAsync()).Body);
        Assert.True(await idle.IsClosedByServerAsync());
    }

    [Fact]
    public async Task HeadersTimeoutAnswers408AndCloses()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Get("/x", ctx => ctx.Text("x")),
            new Config { RequestHeadersTimeout = TimeSpan.FromMilliseconds(400) });
        using var raw = server.Raw();
        var watch = Stopwatch.StartNew();
        await raw.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(408, r.Status);
        Assert.True(r.ConnectionClose);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task KeepAliveTimeoutClosesIdleConnectionsQuietly()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Get("/x", ctx => ctx.Text("x")),
            new Config { KeepAliveTimeout = TimeSpan.FromMilliseconds(300) });
        using var raw = server.Raw();
        await raw.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        await raw.ReadResponseAsync();
        Assert.Equal("", await raw.ReadToEndAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RequestTimeoutAnswers504SignalsAbortedOnTheLoopAndDropsTheLateResult()
    {
        var aborted = new TaskCompletionSource<int>();
        int loopThread = -1;
        await using var server = await TestServer.StartAsync(
            app => app.Get("/hang", async ctx =>
            {
                ctx.Aborted.Register(() => aborted.TrySetResult(Environment.CurrentManagedThreadId));
                await Task.Delay(1500);
                ctx.Text("too late");
            }),
            new Config { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        loopThread = server.App.LoopThreadId;
        using var raw = server.Raw();
        await raw.SendAsync("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(504, r.Status);
        Assert.True(r.ConnectionClose);
        Assert.Equal(loopThread, await aborted.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("", await raw.ReadToEndAsync());
    }

    [Fact]
    public async Task SlowBodyBelowTheMinimumRateGets408()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Post("/echo", async ctx => ctx.Text(await ctx.ReadBodyStringAsync())),
            new Config { MinRequestBodyDataRate = 1000, MinRequestBodyDataRateGracePeriod = TimeSpan.FromMilliseconds(300) });
        using var raw = server.Raw();
        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(408, r.Status);
        Assert.True(r.ConnectionClose);
    }

    [Fact]
    public void InvalidConfigThrowsArgumentExceptionNamingTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => new SakeApp(new Config { MaxConnections = 0 }));
        Assert.Contains("MaxConnections", e.Message);
        Assert.Throws<ArgumentException>(() => new SakeApp(new Config { RequestTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new SakeApp(new Config { WorkerPoolSize = -1 }));
        Assert.Throws<ArgumentException>(() => new SakeApp(new Config { MaxRequestLineSize = 10 }));
        Assert.Throws<ArgumentException>(() => new SakeApp(new Config { MinRequestBodyDataRate = double.NaN }));
        Assert.Contains("WorkerIdleSpin", Assert.Throws<ArgumentException>(() => new SakeApp(new Config { WorkerIdleSpin = TimeSpan.FromTicks(-1) })).Message);
        Assert.Throws<ArgumentException>(() => new SakeApp(new Config { WorkerIdleSpin = TimeSpan.FromMilliseconds(11) }));
    }
}
