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
}
