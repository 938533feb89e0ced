using System.Net.Sockets;
using System.Text;
using Sake.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sake.Runtime.Tests.Hardening;

/// <summary>
/// Faults (issue 8, part 4): handlers that throw or hang, clients that reset or half-close at the worst moment,
/// huge bodies and deep pipelines. Nothing crashes, every request the server took gets exactly one response, and
/// afterwards the server answers and holds no connection or buffer for the clients that misbehaved.
/// </summary>
[Collection(nameof(HardeningCollection))]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private readonly ListLogger _log = new();

    private static readonly byte[] Payload = CreatePayload(1024 * 1024);

    [Fact]
    public async Task ThrowingHandlersOnTheLoopAndInWorkersAnswer500OnceAndKeepTheConnection()
    {
        await using var server = await StartAsync();
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            using var raw = server.Raw();
            string route = i % 2 == 0 ? "/throw" : "/worker-throw";
            for (int k = 0; k < 5; k++)
            {
                await raw.SendAsync($"GET {route} HTTP/1.1\r\nHost: x\r\n\r\n");
                var r = await raw.ReadResponseAsync();
                Assert.Equal(500, r.Status);
                Assert.False(r.ConnectionClose);
                await raw.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal("x", (await raw.ReadResponseAsync()).Body);
            }

            // Nothing extra behind them.
            raw.Socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(string.Empty, await raw.ReadToEndAsync());
        }));
        await Task.WhenAll(tasks);
        await AssertHealthyAsync(server);
    }

    [Fact]
    public async Task HandlersHangingPastTheRequestTimeoutGetOne504AndTheServerStaysUsable()
    {
        var release = new ManualResetEventSlim();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                // Ignores Aborted: only the server's timeout can end the request.
                app.Get("/hang", async _ => await Task.Delay(Timeout.Infinite));
                app.Get("/worker-hang", _ => { release.Wait(TimeSpan.FromSeconds(30)); }).Worker();
                app.Get("/x", ctx => ctx.Text("x"));

                // Served by a replacement worker: both workers are stuck in /worker-hang until the test ends.
                app.Get("/worker-x", ctx => ctx.Text("x")).Worker();
            },
            new Config { RequestTimeout = TimeSpan.FromSeconds(1), WorkerPoolSize = 2, LoggerFactory = _log });
        try
        {
            var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            {
                using var raw = server.Raw();
                await raw.SendAsync(i % 4 == 0 ? "GET /worker-hang HTTP/1.1\r\nHost: x\r\n\r\n" : "GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
                var (text, ended) = await Abuse.ReadUntilClosedAsync(raw.Socket, TimeSpan.FromSeconds(30));
                Assert.True(ended, "a timed-out request's connection stayed open");
                var responses = Abuse.ParseAll(text);
                Assert.True(responses is [{ Status: 504, ConnectionClose: true }], "expected exactly one 504, got: " + text);
            }));
            await Task.WhenAll(tasks);
            await AssertHealthyAsync(server);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task ClientsResettingMidBodyMidResponseAndAfterPipeliningLeaveNothingBehind()
    {
        await using var server = await StartAsync();
        var tasks = Enumerable.Range(0, 150).Select(i => Task.Run(async () =>
        {
            var s = Abuse.Connect(server.EndPoint);
            switch (i % 5)
            {
                case 0:
                    // Mid-body, loop route: half of a 1 MiB body, then RST.
                    await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {Payload.Length}\r\n\r\n"));
                    await Abuse.TrySendAsync(s, Payload.AsMemory(0, Payload.Length / 2));
                    break;
                case 1:
                    // Mid-body, worker route (the body is read on the loop before the request crosses).
                    await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes($"POST /worker-echo HTTP/1.1\r\nHost: x\r\nContent-Length: {Payload.Length}\r\n\r\n"));
                    await Abuse.TrySendAsync(s, Payload.AsMemory(0, Payload.Length / 3));
                    break;
                case 2:
                    // Mid-response: a 4 MiB answer, a few KiB read, then RST.
                    await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
                    var buffer = new byte[8192];
                    await s.ReceiveAsync(buffer, SocketFlags.None);
                    break;
                case 3:
                    // While a worker runs the handler (or the request waits in the worker queue).
                    await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes("GET /worker-slow HTTP/1.1\r\nHost: x\r\n\r\n"));
                    await Task.Delay(5);
                    break;
                default:
                    // Mid-stream: a streamed response being written chunk by chunk.
                    await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
                    var b = new byte[8192];
                    await s.ReceiveAsync(b, SocketFlags.None);
                    break;
            }

            Abuse.Reset(s);
        }));
        await Task.WhenAll(tasks);
        await AssertHealthyAsync(server);
    }

    [Fact]
    public async Task AClientThatHalfClosesAfterSendingGetsEveryResponse()
    {
        await using var server = await StartAsync();
        var tasks = Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            using var raw = server.Raw();
            var request = new StringBuilder();
            for (int k = 0; k < 10; k++)
            {
                request.Append(k % 3 == 0 ? "GET /worker-x HTTP/1.1\r\nHost: x\r\n\r\n" : k % 3 == 1 ? "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n" : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            }

            await raw.SendAsync(request.ToString());
            raw.Socket.Shutdown(SocketShutdown.Send);
            var (text, ended) = await Abuse.ReadUntilClosedAsync(raw.Socket, TimeSpan.FromSeconds(30));
            Assert.True(ended);
            var responses = Abuse.ParseAll(text);
            Assert.Equal(10, responses.Count);
            Assert.All(responses, r => Assert.Equal(200, r.Status));
            Assert.StartsWith("3:", responses[2].Body, StringComparison.Ordinal);
        }));
        await Task.WhenAll(tasks);
        await AssertHealthyAsync(server);
    }

    [Fact]
    public async Task HugeBodiesAreRefusedWith413OrReadCompletelyWithinTheLimit()
    {
        const int Limit = 4 * 1024 * 1024;
        await using var server = await StartAsync(new Config { MaxRequestBodySize = Limit });

        // Declared too large: 413 at once, before a byte of the body, then close.
        using (var raw = server.Raw())
        {
            await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n");
            var (text, ended) = await Abuse.ReadUntilClosedAsync(raw.Socket, TimeSpan.FromSeconds(30));
            Assert.True(ended);
            Assert.True(Abuse.ParseAll(text) is [{ Status: 413, ConnectionClose: true }], text);
        }

        // Chunked past the limit, sent while the server answers: one 413 (a reset may follow the client's excess).
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            using var s = Abuse.Connect(server.EndPoint);
            var read = Abuse.ReadUntilClosedAsync(s, TimeSpan.FromSeconds(60));
            string route = i % 2 == 0 ? "/echo" : "/worker-echo";
            await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes($"POST {route} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
            var chunkHead = Encoding.ASCII.GetBytes($"{Payload.Length:x}\r\n");
            for (int k = 0; k < 8 && !read.IsCompleted; k++)
            {
                if (!await Abuse.TrySendAsync(s, chunkHead) || !await Abuse.TrySendAsync(s, Payload) || !await Abuse.TrySendAsync(s, "\r\n"u8.ToArray()))
                {
                    break;
                }
            }

            var (text, _) = await read;
            var responses = Abuse.ParseAll(text);
            Assert.True(responses is [{ Status: 413 }], "expected one 413, got: " + text[..Math.Min(text.Length, 300)]);
        }));
        await Task.WhenAll(tasks);

        // Within the limit, concurrently on both kinds of route: read in full, byte for byte (length and checksum).
        var ok = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            using var raw = server.Raw();
            var body = CreatePayload(Limit / 2 - i * 1000);
            string route = i % 2 == 0 ? "/echo" : "/worker-echo";
            await raw.SendAsync(Encoding.ASCII.GetBytes($"POST {route} HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\n\r\n"));
            await raw.SendAsync(body);
            var r = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));
            Assert.Equal(200, r.Status);
            Assert.Equal($"{body.Length}:{Checksum(body)}", r.Body);
        }));
        await Task.WhenAll(ok);
        await AssertHealthyAsync(server);
    }

    [Fact]
    public async Task HundredsOfPipelinedRequestsThenCloseAreAnsweredInOrderOrDroppedCleanly()
    {
        const int Depth = 500;
        await using var server = await StartAsync();
        var request = new StringBuilder();
        for (int k = 0; k < Depth; k++)
        {
            request.Append(k % 5 == 4 ? $"GET /worker-n/{k} HTTP/1.1\r\nHost: x\r\n\r\n" : $"GET /n/{k} HTTP/1.1\r\nHost: x\r\n\r\n");
        }

        var bytes = Encoding.ASCII.GetBytes(request.ToString());

        // Then a half-close: all 500 answered, in order, each once, and then the server closes.
        using (var raw = server.Raw())
        {
            await raw.SendAsync(bytes);
            raw.Socket.Shutdown(SocketShutdown.Send);
            var (text, ended) = await Abuse.ReadUntilClosedAsync(raw.Socket, TimeSpan.FromSeconds(60));
            Assert.True(ended);
            var responses = Abuse.ParseAll(text);
            Assert.Equal(Depth, responses.Count);
            for (int k = 0; k < Depth; k++)
            {
                Assert.Equal(k.ToString(System.Globalization.CultureInfo.InvariantCulture), responses[k].Body);
            }
        }

        // Then a full close (and a reset) right after sending, many times at once: the server drops the rest.
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var s = Abuse.Connect(server.EndPoint);
            await Abuse.TrySendAsync(s, bytes);
            if (i % 2 == 0)
            {
                s.Dispose();
            }
            else
            {
                Abuse.Reset(s);
            }
        }));
        await Task.WhenAll(tasks);
        await AssertHealthyAsync(server);
    }

    private async Task<TestServer> StartAsync(Config? config = null)
    {
        var big = new string('b', 4 * 1024 * 1024);
        var chunk = new byte[16 * 1024];
        return await TestServer.StartAsync(
            app =>
            {
                app.Get("/x", ctx => ctx.Text("x"));
                app.Get("/worker-x", ctx => ctx.Text("x")).Worker();
                app.Get("/slow", async ctx =>
                {
                    await Task.Delay(5);
                    ctx.Text("slow");
                });
                app.Get("/worker-slow", ctx =>
                {
                    Thread.Sleep(20);
                    ctx.Text("slow");
                }).Worker();
                app.Get("/n/{n}", ctx => ctx.Text(ctx.Param("n")!));
                app.Get("/worker-n/{n}", ctx => ctx.Text(ctx.Param("n")!)).Worker();
                app.Get("/throw", _ => throw new InvalidOperationException("boom"));
                app.Get("/worker-throw", _ => throw new InvalidOperationException("boom")).Worker();
                app.Get("/big", ctx => ctx.Text(big));
                app.Get("/stream", async ctx =>
                {
                    for (int i = 0; i < 1000 && !ctx.Aborted.IsCancellationRequested; i++)
                    {
                        await ctx.WriteAsync(chunk);
                    }
                });
                app.Post("/echo", async ctx =>
                {
                    var body = await ctx.ReadBodyAsync();
                    ctx.Text($"{body.Length}:{Checksum(body.Span)}");
                });
                app.Post("/worker-echo", async ctx =>
                {
                    var body = await ctx.ReadBodyAsync();
                    ctx.Text($"{body.Length}:{Checksum(body.Span)}");
                }).Worker();
            },
            (config ?? new Config { WorkerPoolSize = 2 }) with { LoggerFactory = _log });
    }

    /// <summary>The server answers, and after the misbehaving clients are gone it holds no connection or buffer for them.</summary>
    private async Task AssertHealthyAsync(TestServer server)
    {
        using var raw = server.Raw();
        await raw.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\nGET /worker-x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("x", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("x", (await raw.ReadResponseAsync()).Body);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int open = int.MaxValue, holding = int.MaxValue;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            // The raw client above (idle, holding nothing) is the only one left once lingering closes have ended.
            (open, holding) = await server.App.CountBuffersAsync();
            if (open <= 1 && holding == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        output.WriteLine($"after the faults: {open} open, {holding} holding buffers after {watch.ElapsedMilliseconds} ms");
        Assert.True(open <= 1 && holding == 0, $"{open} connections open, {holding} holding buffers");
        Abuse.AssertNoServerFaults(_log);
    }

    private static byte[] CreatePayload(int length)
    {
        var bytes = new byte[length];
        new Random(8).NextBytes(bytes);
        return bytes;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        foreach (byte b in data)
        {
            sum = (sum * 31) + b;
        }

        return sum;
    }
}
