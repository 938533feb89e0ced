using System.Net;
using System.Net.Sockets;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

/// <summary>Handlers and their continuations all run on the one loop thread, whatever they await.</summary>
public sealed class EventLoopThreadTests
{
    [Fact]
    public async Task ConcurrentHandlersStayOnTheLoopThreadAcrossEveryKindOfAwait()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var client = await echo.AcceptTcpClientAsync();
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[16];
                        int n = await stream.ReadAsync(buffer);
                        await stream.WriteAsync(buffer.AsMemory(0, n));
                    }
                });
            }
        });
        var echoPort = ((IPEndPoint)echo.LocalEndpoint).Port;
        using var http = new HttpClient();
        var both = new TaskCompletionSource();
        int arrived = 0;
        string? baseUrl = null;
        var threads = new System.Collections.Concurrent.ConcurrentBag<(string Step, int Thread)>();

        await using var server = await TestServer.StartAsync(app =>
        {
            app.Get("/plain", ctx => ctx.Text("plain"));
            app.Get("/probe/{id}", async ctx =>
            {
                string id = ctx.Param("id")!;
                threads.Add((id + ":start", Environment.CurrentManagedThreadId));
                if (Interlocked.Increment(ref arrived) == 2)
                {
                    both.TrySetResult();
                }

                // Both requests are in flight at once before either goes on.
                await both.Task;
                threads.Add((id + ":both", Environment.CurrentManagedThreadId));
                await Task.Delay(20);
                threads.Add((id + ":delay", Environment.CurrentManagedThreadId));
                await Task.Yield();
                threads.Add((id + ":yield", Environment.CurrentManagedThreadId));
                using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    await socket.ConnectAsync(IPAddress.Loopback, echoPort);
                    await socket.SendAsync("ping"u8.ToArray());
                    var buffer = new byte[4];
                    await socket.ReceiveAsync(buffer);
                }

                threads.Add((id + ":socket", Environment.CurrentManagedThreadId));
                var body = await http.GetStringAsync(baseUrl + "plain");
                threads.Add((id + ":httpclient", Environment.CurrentManagedThreadId));
                ctx.Text(body);
            });
        });
        baseUrl = server.App.BaseAddress!.ToString();
        int loop = server.App.LoopThreadId;

        var a = server.Client.GetStringAsync("/probe/a");
        var b = server.Client.GetStringAsync("/probe/b");
        Assert.Equal(["plain", "plain"], await Task.WhenAll(a, b));
        Assert.Equal(12, threads.Count);
        Assert.All(threads, t => Assert.True(t.Thread == loop, $"{t.Step} ran on thread {t.Thread}, loop is {loop}"));
        Assert.NotEqual(Environment.CurrentManagedThreadId, loop);
    }

    [Fact]
    public async Task LoopStateNeedsNoLocks()
    {
        int counter = 0;
        await using var server = await TestServer.StartAsync(app => app.Get("/inc", async ctx =>
        {
            int seen = counter;
            await Task.Yield();
            counter = seen + 1;
            ctx.Text("ok");
        }));

        // Under a real race these read-yield-write increments would lose updates; on one loop thread some
        // interleave, so only the sequential sum is guaranteed: fire them one connection at a time.
        for (int i = 0; i < 50; i++)
        {
            await server.Client.GetStringAsync("/inc");
        }

        Assert.Equal(50, counter);
    }
}
