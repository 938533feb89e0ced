using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

/// <summary>Runs alone: it counts this process's file descriptors, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(ResourceTests), DisableParallelization = true)]
public sealed class ResourceTestsCollection;

[Collection(nameof(ResourceTests))]
public sealed class ResourceTests
{
    [Fact]
    public async Task StartingAndStoppingAppsLeaksNoFileDescriptors()
    {
        // Warm up (first use opens runtime files, sockets for HttpClient pools, etc.).
        await using (var warm = await TestServer.StartAsync(app => app.Get("/x", ctx => ctx.Text("x"))))
        {
            await warm.Client.GetStringAsync("/x");
        }

        int before = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 20; i++)
        {
            var app = new SakeApp(new Config { WorkerPoolSize = 1 });
            app.Get("/x", ctx => ctx.Text("x"));
            await app.StartAsync();
            using (var raw = RawClient.Connect(app.LocalEndPoint!))
            {
                await raw.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                await raw.ReadToEndAsync();
            }

            await app.StopAsync();
        }

        int after = Directory.GetFiles("/proc/self/fd").Length;
        // Without closing the loop's epoll and eventfd descriptors this grows by 40 (2 per app).
        Assert.InRange(after - before, -50, 4);
    }

    [Fact]
    public async Task IdleKeepAliveConnectionsHoldNoBuffers()
    {
        var big = new string('x', 100_000);
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Get("/x", ctx => ctx.Text("x"));
            app.Get("/big", ctx => ctx.Text(big));
            app.Post("/echo", async ctx => ctx.Text(await ctx.ReadBodyStringAsync()));
        });
        var clients = new List<RawClient>();
        try
        {
            for (int i = 0; i < 50; i++)
            {
                var c = server.Raw();
                clients.Add(c);
                string request = (i % 3) switch
                {
                    0 => "GET /x HTTP/1.1\r\nHost: x\r\n\r\n",
                    1 => "GET /big HTTP/1.1\r\nHost: x\r\n\r\n",
                    _ => "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
                };
                await c.SendAsync(request);
                await c.ReadResponseAsync();
            }

            var (open, holding) = await server.App.CountBuffersAsync();
            Assert.Equal(50, open);
            Assert.Equal(0, holding);

            // And they still work afterwards.
            foreach (var c in clients)
            {
                await c.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal("x", (await c.ReadResponseAsync()).Body);
            }
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }
}
