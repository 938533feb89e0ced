using System.Net;
using System.Net.Sockets;
using System.Text;
using Sake.Testing.Tests.Handlers;

namespace Sake.Testing.Tests;

/// <summary>SakeTestHost over real sockets: it serves, it cleans up, and a failed start leaves nothing behind.</summary>
public sealed class TestHostTests
{
    [Fact]
    public async Task ServesGeneratedAndFluentRoutesThroughItsClient()
    {
        await using var host = await SakeTestHost.StartAsync(app =>
        {
            app.MapGreetingApi();
            app.Get("/plaintext", ctx => ctx.Text("Hello, World!"));
        });

        Assert.Equal("Hello, ada! Hello, ada!", await host.Client.GetStringAsync("/hello/ada?times=2"));
        Assert.Equal("Hello, World!", await host.Client.GetStringAsync("/plaintext"));
        Assert.Equal("""{"message":"Hello, bob!"}""", await host.Client.GetStringAsync("/greeting/bob"));
        using var echo = await host.Client.PostAsync("/echo", new StringContent("ping", Encoding.UTF8));
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("ping", await echo.Content.ReadAsStringAsync());
        using var missing = await host.Client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ListensOnAnEphemeralLoopbackPortAndExposesIt()
    {
        await using var host = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("root")));

        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.NotEqual(0, host.BaseAddress.Port);
        Assert.Equal(host.BaseAddress, host.Client.BaseAddress);
        Assert.Equal(host.BaseAddress, host.App.BaseAddress);
        Assert.Equal(host.BaseAddress.Port, host.App.LocalEndPoint!.Port);

        // A second client has its own connections but the same target; the host disposes it too.
        var other = host.CreateClient();
        Assert.Equal("root", await other.GetStringAsync("/"));
    }

    [Fact]
    public async Task TwoHostsRunSideBySideOnDifferentPorts()
    {
        await using var a = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("a")));
        await using var b = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("b")));

        Assert.NotEqual(a.BaseAddress.Port, b.BaseAddress.Port);
        Assert.Equal("a", await a.Client.GetStringAsync("/"));
        Assert.Equal("b", await b.Client.GetStringAsync("/"));
    }

    [Fact]
    public async Task DisposeStopsTheAppFreesThePortAndDisposesTheClients()
    {
        var host = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("first")));
        var port = host.BaseAddress.Port;
        var extra = host.CreateClient();
        Assert.Equal("first", await host.Client.GetStringAsync("/"));
        Assert.Equal("first", await extra.GetStringAsync("/"));

        await host.DisposeAsync();

        Assert.True(host.App.Completion.IsCompleted);
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => host.Client.GetStringAsync("/"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => extra.GetStringAsync("/"));
        Assert.Throws<ObjectDisposedException>(() => host.CreateClient());

        // The same port can be bound again right away (old connections in TIME_WAIT do not block it).
        await using var again = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("second")), url: $"http://127.0.0.1:{port}");
        Assert.Equal(port, again.BaseAddress.Port);
        Assert.Equal("second", await again.Client.GetStringAsync("/"));

        // Disposing twice is harmless.
        await host.DisposeAsync();
    }

    [Fact]
    public async Task DisposeLetsAnInFlightRequestFinish()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await SakeTestHost.StartAsync(app => app.Get("/slow", async ctx =>
        {
            entered.TrySetResult();
            await release.Task;
            ctx.Text("done");
        }));

        // Its own client: the host's is disposed first, which would cancel the request.
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var request = client.GetStringAsync("/slow");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var dispose = host.DisposeAsync().AsTask();
        await Task.Delay(100);
        Assert.False(dispose.IsCompleted);
        release.SetResult();

        Assert.Equal("done", await request.WaitAsync(TimeSpan.FromSeconds(10)));
        await dispose.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnExceptionInConfigurePropagatesAndNothingIsStarted()
    {
        SakeApp? captured = null;
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => SakeTestHost.StartAsync(app =>
        {
            captured = app;
            app.Get("/", ctx => ctx.Text("never served"));
            throw new InvalidOperationException("bad wiring");
        }));

        Assert.Equal("bad wiring", thrown.Message);
        Assert.NotNull(captured);
        Assert.Null(captured.LocalEndPoint);
        Assert.Null(captured.BaseAddress);
        Assert.True(captured.StopAsync().IsCompleted);
    }

    [Fact]
    public async Task AFailedBindPropagatesAndLeavesTheRunningHostAlone()
    {
        await using var first = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("first")));

        var thrown = await Assert.ThrowsAsync<SocketException>(() =>
            SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("second")), url: first.BaseAddress.ToString()));

        Assert.Equal(SocketError.AddressAlreadyInUse, thrown.SocketErrorCode);
        Assert.Equal("first", await first.Client.GetStringAsync("/"));
    }

    [Fact]
    public async Task TheConfigIsTheApps()
    {
        var config = new Config { ShutdownTimeout = TimeSpan.FromSeconds(2) };
        await using var host = await SakeTestHost.StartAsync(app => app.Get("/", ctx => ctx.Text("ok")), config);

        Assert.Same(config, host.App.Config);
        Assert.Equal("ok", await host.Client.GetStringAsync("/"));
    }
}
