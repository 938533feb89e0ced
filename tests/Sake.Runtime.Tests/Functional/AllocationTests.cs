using System.Globalization;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

/// <summary>
/// The loop's hot path allocates nothing per request for a plaintext or JSON response on a keep-alive
/// connection. Measured on the loop thread itself (a handler reads the loop thread's allocation counter).
/// </summary>
public sealed class AllocationTests
{
#if DEBUG
    // Debug builds compile async state machines as classes, so every async call allocates; the bound still
    // catches a per-request buffer or string. The README's and CI's test command runs Release, where it is 0.
    private const long AllowedPerRequest = 512;
#else
    private const long AllowedPerRequest = 0;
#endif

    [Theory]
    [InlineData("/plaintext")]
    [InlineData("/json")]
    [InlineData("/users/42")]
    [InlineData("/gen/plaintext")]
    [InlineData("/gen/items/42/square")]
    [InlineData("/hand/items/42/square")]
    [InlineData("/gen/ints/42")]
    [InlineData("/gen/kinds/square")]
    public async Task KeepAliveRequestsAllocateNothingOnTheLoop(string path)
    {
        var payload = new Point(1, 2);
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Get("/plaintext", ctx => ctx.Text("Hello, World!"));
            app.Get("/json", ctx => ctx.Json(payload, TestJson.Default.Point));
            app.Get("/users/{id:int}", ctx => ctx.Text("user"));
            app.Get("/alloc", ctx => ctx.Text(GC.GetAllocatedBytesForCurrentThread().ToString(CultureInfo.InvariantCulture)));

            // Generated handlers: the sample's plaintext, and route values parsed straight from the path.
            app.Group("/gen").MapHelloApi();
            app.Group("/gen").MapAllocationApi();
            app.Get("/hand/items/{id:int}/{kind}", ctx => ctx.Text("item"));
        });
        using var raw = server.Raw();
        string request = $"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n";
        for (int i = 0; i < 200; i++)
        {
            await raw.SendAsync(request);
            await raw.ReadResponseAsync();
        }

        // Best of three windows of 500 requests: a per-request allocation shows in every window, while a one-off
        // allocation on the loop thread from elsewhere in the process (seen twice in loaded full runs: 8 KB once)
        // cannot repeat in all three.
        const int n = 500;
        long best = long.MaxValue;
        for (int window = 0; window < 3 && best > AllowedPerRequest * n; window++)
        {
            long before = await ReadAllocatedAsync(raw);
            for (int i = 0; i < n; i++)
            {
                await raw.SendAsync(request);
                await raw.ReadResponseAsync();
            }

            best = Math.Min(best, await ReadAllocatedAsync(raw) - before);
        }

        long perRequest = best / n;
        Assert.True(perRequest <= AllowedPerRequest, $"{path}: {best} bytes over {n} requests ({perRequest} per request) on the loop thread, in the best of three windows");
    }

    private static async Task<long> ReadAllocatedAsync(RawClient raw)
    {
        await raw.SendAsync("GET /alloc HTTP/1.1\r\nHost: x\r\n\r\n");
        return long.Parse((await raw.ReadResponseAsync()).Body, CultureInfo.InvariantCulture);
    }
}

/// <summary>A generated handler whose route values (an int and an enum) must bind without allocating.</summary>
public static partial class AllocationApi
{
    [Get("/items/{id:int}/{kind}")]
    public static string Item(int id, Sake.Runtime.Tests.Generated.Shape kind) => id > 0 && kind == Sake.Runtime.Tests.Generated.Shape.Square ? "item" : "other";

    [Get("/ints/{id:int}")]
    public static string Int(int id) => id > 0 ? "int" : "other";

    [Get("/kinds/{kind}")]
    public static string Kind(Sake.Runtime.Tests.Generated.Shape kind) => kind == Sake.Runtime.Tests.Generated.Shape.Square ? "kind" : "other";
}
