using System.Net.Sockets;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class ShutdownTests
{
    [Fact]
    public async Task StopCompletesInFlightRequestsClosesIdleOnesAndRefusesNewConnections()
    {
        var started = new TaskCompletionSource();
        var server = await TestServer.StartAsync(app =>
        {
            app.Get("/work", async ctx =>
            {
                started.TrySetResult();
                await Task.Delay(300);
                ctx.Text("finished");
            });
            app.Get("/x", ctx => ctx.Text("x"));
        });

        using var idle = server.Raw();
        await idle.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        await idle.ReadResponseAsync();
        using var busy = server.Raw();
        await busy.SendAsync("GET /work HTTP/1.1\r\nHost: x\r\n\r\n");
        await started.Task;

        var stop = server.App.StopAsync();
        var response = await busy.ReadResponseAsync();
        Assert.Equal("finished", response.Body);
        Assert.True(response.ConnectionClose);
        Assert.True(await idle.IsClosedByServerAsync());
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(server.App.Completion.IsCompleted);
        Assert.ThrowsAny<SocketException>(() => server.Raw());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StopGivesUpAfterTheShutdownTimeout()
    {
        var server = await TestServer.StartAsync(
            app => app.Get("/forever", async ctx => await Task.Delay(Timeout.Infinite, ctx.Aborted)),
            new Config { ShutdownTimeout = TimeSpan.FromMilliseconds(300) });
        using var raw = server.Raw();
        await raw.SendAsync("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
        await Task.Delay(100);
        await server.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(await raw.IsClosedByServerAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DisposeStopsTheAppFromSynchronousCodeAndCanBeRepeated()
    {
        var server = await TestServer.StartAsync(app => app.Get("/x", ctx => ctx.Text("x")));
        Assert.Equal("x", await server.Client.GetStringAsync("/x"));

        await Task.Run(server.App.Dispose).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(server.App.Completion.IsCompleted);
        Assert.ThrowsAny<SocketException>(() => server.Raw());
        server.App.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DisposeOnTheEventLoopIsRefusedInsteadOfDeadlocking()
    {
        Exception? seen = null;
        SakeApp? self = null;
        var server = await TestServer.StartAsync(app =>
        {
            self = app;
            app.Get("/dispose", ctx =>
            {
                seen = Record.Exception(() => self!.Dispose());
                ctx.Text("still here");
            });
        });

        Assert.Equal("still here", await server.Client.GetStringAsync("/dispose"));
        Assert.IsType<InvalidOperationException>(seen);
        Assert.False(server.App.Completion.IsCompleted);
        await server.DisposeAsync();
    }
}
