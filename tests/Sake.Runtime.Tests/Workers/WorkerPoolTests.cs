using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sake.Runtime.Tests.Functional;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Workers;

public sealed class WorkerPoolTests
{
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(2);

    private sealed record Probe(bool Passed, int Thread, string? Name, bool PoolThread, bool InWorkerPool);

    private static RequestHandler BarrierHandler(Barrier barrier, ConcurrentBag<Probe> probes) => ctx =>
    {
        bool passed = barrier.SignalAndWait(BarrierTimeout);
        var t = Thread.CurrentThread;
        probes.Add(new Probe(passed, t.ManagedThreadId, t.Name, t.IsThreadPoolThread, ctx.InWorkerPool));
        ctx.Text(passed ? "passed" : "timeout");
        return default;
    };

    [Fact]
    public async Task NWorkerRequestsRunAtOnceOnExactlyNDistinctPoolThreads()
    {
        const int n = 4;
        var barrier = new Barrier(n);
        var probes = new ConcurrentBag<Probe>();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/cpu", BarrierHandler(barrier, probes)).Worker(),
            new Config { WorkerPoolSize = n });

        var bodies = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => server.Client.GetStringAsync("/cpu")));
        Assert.All(bodies, b => Assert.Equal("passed", b));
        Assert.Equal(n, probes.Select(p => p.Thread).Distinct().Count());
        Assert.All(probes, p =>
        {
            Assert.True(p.InWorkerPool);
            Assert.False(p.PoolThread);
            Assert.StartsWith("Sake worker ", p.Name);
        });
        Assert.Subset(server.App.WorkerPool!.ThreadIds().ToHashSet(), probes.Select(p => p.Thread).ToHashSet());
        Assert.DoesNotContain(server.App.LoopThreadId, probes.Select(p => p.Thread));
    }

    [Fact]
    public async Task NPlusOneHandlersCannotAllPassABarrierOfNPlusOne()
    {
        const int n = 4;
        var barrier = new Barrier(n + 1);
        var probes = new ConcurrentBag<Probe>();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/cpu", BarrierHandler(barrier, probes)).Worker(),
            new Config { WorkerPoolSize = n });

        var bodies = await Task.WhenAll(Enumerable.Range(0, n + 1).Select(_ => server.Client.GetStringAsync("/cpu")));
        Assert.Contains("timeout", bodies);
        Assert.True(probes.Select(p => p.Thread).Distinct().Count() <= n);
    }

    [Fact]
    public async Task WithThePoolDisabledWorkerRoutesRunOnTheLoopAndCannotPassABarrierOfTwo()
    {
        var barrier = new Barrier(2);
        var probes = new ConcurrentBag<Probe>();
        var log = new ListLogger();
        int size = -1;
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/cpu", BarrierHandler(barrier, probes)).Worker();
                app.Get("/size", ctx => ctx.Text($"{ctx.InWorkerPool}/{ctx.WorkerPoolSize}")).Worker();
            },
            new Config { EnableWorkerPool = false, LoggerFactory = log });

        var bodies = await Task.WhenAll(server.Client.GetStringAsync("/cpu"), server.Client.GetStringAsync("/cpu"));
        Assert.Equal(["timeout", "timeout"], bodies);
        Assert.All(probes, p => Assert.Equal(server.App.LoopThreadId, p.Thread));
        Assert.Equal("False/0", await server.Client.GetStringAsync("/size"));
        Assert.Null(server.App.WorkerPool);
        Assert.Single(log.Entries, e => e.Message.Contains("EnableWorkerPool is false: 2 .Worker() routes run on the event loop", StringComparison.Ordinal));
        _ = size;
    }

    [Fact]
    public async Task InWorkerPoolAndWorkerPoolSizeReportTheMode()
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/loop", ctx => ctx.Text($"{ctx.InWorkerPool}/{ctx.WorkerPoolSize}"));
                app.Get("/worker", ctx => ctx.Text($"{ctx.InWorkerPool}/{ctx.WorkerPoolSize}")).Worker();
            },
            new Config { WorkerPoolSize = 3 });
        Assert.Equal("False/3", await server.Client.GetStringAsync("/loop"));
        Assert.Equal("True/3", await server.Client.GetStringAsync("/worker"));
    }

    [Theory]
    [InlineData(6, 6, false)]
    [InlineData(0, 2, true)]
    [InlineData(-3, 2, true)]
    public async Task AutoSizeUsesTheProcessorCountAndFallsBackToTwo(int detected, int expected, bool warned)
    {
        var log = new ListLogger();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/size", ctx => ctx.Text(ctx.WorkerPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture))).Worker(),
            new Config { WorkerPoolSize = 0, ProcessorCountProvider = () => detected, LoggerFactory = log });
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), await server.Client.GetStringAsync("/size"));
        Assert.Equal(expected, server.App.WorkerPool!.ThreadCount);
        Assert.Equal(warned, log.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("worker pool uses 2 threads", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AsyncWorkerHandlersResumeOnTheSameWorkerThread()
    {
        var seen = new ConcurrentBag<(int Before, int AfterDelay, int AfterYield, bool InPool, string? Name)>();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/async", async ctx =>
            {
                int before = Environment.CurrentManagedThreadId;
                await Task.Delay(20);
                int afterDelay = Environment.CurrentManagedThreadId;
                await Task.Yield();
                seen.Add((before, afterDelay, Environment.CurrentManagedThreadId, ctx.InWorkerPool, Thread.CurrentThread.Name));
                ctx.Text("ok");
            }).Worker(),
            new Config { WorkerPoolSize = 2 });
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.Client.GetStringAsync("/async")));
        var ids = server.App.WorkerPool!.ThreadIds();
        Assert.Equal(6, seen.Count);
        Assert.All(seen, s =>
        {
            Assert.Equal(s.Before, s.AfterDelay);
            Assert.Equal(s.Before, s.AfterYield);
            Assert.Contains(s.Before, ids);
            Assert.True(s.InPool);
            Assert.StartsWith("Sake worker", s.Name);
        });
    }

    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfterAndTheServerRecovers()
    {
        var gate = new ManualResetEventSlim();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/slow", ctx =>
                {
                    gate.Wait(TimeSpan.FromSeconds(10));
                    ctx.Text("done");
                }).Worker();
                app.Get("/fast", ctx => ctx.Text("fast")).Worker();
            },
            new Config { WorkerPoolSize = 1, WorkerQueueCapacity = 2, RetryAfterSeconds = 3 });

        var flood = Enumerable.Range(0, 10).Select(_ => server.Client.GetAsync("/slow")).ToArray();
        await Task.Delay(300);
        gate.Set();
        var responses = await Task.WhenAll(flood);
        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        var ok = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToArray();
        Assert.NotEmpty(rejected);
        Assert.InRange(ok.Length, 1, 3);
        Assert.Equal(10, rejected.Length + ok.Length);
        Assert.All(rejected, r => Assert.Equal(TimeSpan.FromSeconds(3), r.Headers.RetryAfter!.Delta));
        Assert.Equal("fast", await server.Client.GetStringAsync("/fast"));
    }

    [Fact]
    public async Task WorkerQueueTimeoutWaitsForRoomBeforeGivingUp()
    {
        var gate = new ManualResetEventSlim();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/slow", ctx =>
            {
                gate.Wait(TimeSpan.FromSeconds(10));
                ctx.Text("done");
            }).Worker(),
            new Config { WorkerPoolSize = 1, WorkerQueueCapacity = 1, WorkerQueueTimeout = TimeSpan.FromSeconds(5) });

        var running = server.Client.GetStringAsync("/slow");
        await Task.Delay(150);
        var queued = server.Client.GetStringAsync("/slow");
        await Task.Delay(150);
        var waiting = server.Client.GetAsync("/slow");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        gate.Set();
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
        Assert.Equal(["done", "done"], await Task.WhenAll(running, queued));
    }

    [Fact]
    public async Task AHandlerExceptionGivesRecoverysBodyAndTheWorkerKeepsServing()
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/boom", ctx => throw new InvalidOperationException("secret")).Worker();
                app.Get("/ok", ctx => ctx.Text("ok")).Worker();
            },
            new Config { WorkerPoolSize = 1 });
        for (int i = 0; i < 3; i++)
        {
            var r = await server.Client.GetAsync("/boom");
            Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
            Assert.Equal("{\"error\":\"Internal Server Error\"}", await r.Content.ReadAsStringAsync());
            Assert.Equal("ok", await server.Client.GetStringAsync("/ok"));
        }

        Assert.Equal(1, server.App.WorkerPool!.ThreadCount);
    }

    [Fact]
    public async Task ABrokenWorkerLoopIsReplacedSoThePoolStaysAtN()
    {
        await using var server = await TestServer.StartAsync(
            app => app.Get("/ok", ctx => ctx.Text(Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture))).Worker(),
            new Config { WorkerPoolSize = 2 });
        var pool = server.App.WorkerPool!;
        var before = pool.ThreadIds();
        int faults = 0;
        pool.FaultHook = _ =>
        {
            if (Interlocked.Increment(ref faults) == 1)
            {
                throw new InvalidOperationException("injected fault in the worker loop");
            }
        };
        var faultedOn = int.Parse(await server.Client.GetStringAsync("/ok"), System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 50 && pool.ThreadIds().Contains(faultedOn); i++)
        {
            await Task.Delay(20);
        }

        var after = pool.ThreadIds();
        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(faultedOn, after);
        Assert.Contains(faultedOn, before);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/ok")).StatusCode);
        }
    }

    [Fact]
    public async Task AWorkerRouteOverTheRequestTimeoutGets504AndItsTokenIsCancelled()
    {
        var cancelled = new TaskCompletionSource<bool>();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/long", ctx =>
            {
                while (!ctx.Aborted.IsCancellationRequested)
                {
                    Thread.Sleep(5);
                }

                cancelled.TrySetResult(ctx.InWorkerPool);
                ctx.Text("late");
            }).Worker(),
            new Config { WorkerPoolSize = 1, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        using var raw = server.Raw();
        await raw.SendAsync("GET /long HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(504, r.Status);
        Assert.True(await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("", await raw.ReadToEndAsync());
    }

    [Fact]
    public async Task HandlersThatIgnoreCancellationGetReplacementsAndCannotShrinkThePoolSilently()
    {
        var release = new ManualResetEventSlim();
        var log = new ListLogger();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/stuck", ctx =>
                {
                    release.Wait(TimeSpan.FromSeconds(20));
                    ctx.Text("late");
                }).Worker();
                app.Get("/ok", ctx => ctx.Text("ok")).Worker();
            },
            new Config { WorkerPoolSize = 1, WorkerReplacementLimit = 1, RequestTimeout = TimeSpan.FromMilliseconds(300), LoggerFactory = log });
        var pool = server.App.WorkerPool!;

        Assert.Equal(HttpStatusCode.GatewayTimeout, (await server.Client.GetAsync("/stuck")).StatusCode);

        // The worker counts as stuck once the handler outlives the grace period after its 504.
        await WaitUntilAsync(() => pool.ThreadCount == 2);
        Assert.Equal("ok", await server.Client.GetStringAsync("/ok"));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("started replacement 1 of at most 1", StringComparison.Ordinal));

        // The replacement is stuck too and the limit is reached: the pool says so instead of shrinking silently.
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await server.Client.GetAsync("/stuck")).StatusCode);
        await WaitUntilAsync(() => log.Entries.Any(e => e.Message.Contains("degraded", StringComparison.Ordinal)));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Worker pool degraded: 2 of 1 workers are stuck", StringComparison.Ordinal));

        release.Set();
        for (int i = 0; i < 100 && pool.ThreadCount != 1; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, pool.ThreadCount);
        Assert.Equal("ok", await server.Client.GetStringAsync("/ok"));
    }

    [Fact]
    public async Task PipelinedLoopAndWorkerRequestsAnswerInOrder()
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/loop/{n}", ctx => ctx.Text("loop " + ctx.Param("n")));
                app.Get("/worker/{n}", ctx =>
                {
                    Thread.Sleep(30);
                    ctx.Text("worker " + ctx.Param("n"));
                }).Worker();
            },
            new Config { WorkerPoolSize = 2 });
        using var raw = server.Raw();
        await raw.SendAsync(
            "GET /worker/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /loop/2 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /worker/3 HTTP/1.1\r\nHost: x\r\n\r\nGET /loop/4 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("worker 1", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("loop 2", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("worker 3", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("loop 4", (await raw.ReadResponseAsync()).Body);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(10_000)]
    public async Task IdleSpinSettingsServeSequentialRequestsAndDoNotHoldUpStop(int spinMicroseconds)
    {
        var server = await TestServer.StartAsync(
            app => app.Get("/w/{n}", ctx => ctx.Text(ctx.Param("n") + (ctx.InWorkerPool ? " in pool" : " on loop"))).Worker(),
            new Config { WorkerPoolSize = 2, WorkerIdleSpin = TimeSpan.FromMicroseconds(spinMicroseconds) });
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($"{i} in pool", await server.Client.GetStringAsync($"/w/{i}"));
        }

        Assert.Equal(2, server.App.WorkerPool!.ThreadCount);
        // Workers polling the queue must notice the stop and exit, not keep the pool alive until a timeout.
        var stop = server.DisposeAsync().AsTask();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(0, server.App.WorkerPool.ThreadCount);
    }

    [Fact]
    public async Task TheRequestCrossesAsUtf8JsonNotByReference()
    {
        var payloads = new ConcurrentQueue<byte[]>();
        await using var server = await TestServer.StartAsync(
            app => app.Post("/echo/{id}", async ctx => ctx.Text(ctx.Param("id") + ":" + await ctx.ReadBodyStringAsync())).Worker(),
            new Config { WorkerPoolSize = 1 });
        server.App.WorkerPool!.PayloadObserver = p => payloads.Enqueue(p);
        var r = await server.Client.PostAsync("/echo/7?q=1", new StringContent("{\"a\":\"é\"}"));
        Assert.Equal("7:{\"a\":\"é\"}", await r.Content.ReadAsStringAsync());

        Assert.True(payloads.TryDequeue(out var bytes));
        Assert.True(System.Text.Unicode.Utf8.IsValid(bytes));
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal("POST", root.GetProperty("Method").GetString());
        Assert.Equal("/echo/7", root.GetProperty("Path").GetString());
        Assert.Equal("q=1", root.GetProperty("QueryString").GetString());
        Assert.Equal("7", root.GetProperty("RouteValues").GetProperty("id").GetString());
        // A JSON body is embedded as JSON: no escaping, no Base64.
        Assert.Equal(JsonValueKind.Object, root.GetProperty("BodyJson").ValueKind);
        Assert.Equal("{\"a\":\"é\"}", root.GetProperty("BodyJson").GetRawText());
        Assert.False(root.TryGetProperty("Body", out _));
        Assert.False(root.TryGetProperty("BodyBytes", out _));
        Assert.Equal(1, server.App.WorkerPool.Dispatched);
        Assert.Equal(bytes.Length, server.App.WorkerPool.PayloadBytes);
    }

    [Theory]
    [InlineData("{\"a\": [1, 2, {\"b\": \"q\\\"uote\"}]}", "BodyJson")]
    [InlineData(" {\"leading\":\"space\"}", "Body")]
    [InlineData("plain text with \"quotes\" and \\ backslash", "Body")]
    [InlineData("{not json", "Body")]
    [InlineData("[1,2", "Body")]
    public async Task EveryKindOfBodyCrossesByteForByte(string body, string field)
    {
        var payloads = new ConcurrentQueue<byte[]>();
        await using var server = await TestServer.StartAsync(
            app => app.Post("/echo", async ctx => ctx.Data("application/octet-stream", (await ctx.ReadBodyAsync()).Span)).Worker(),
            new Config { WorkerPoolSize = 1 });
        server.App.WorkerPool!.PayloadObserver = p => payloads.Enqueue(p);
        var sent = System.Text.Encoding.UTF8.GetBytes(body);
        var r = await server.Client.PostAsync("/echo", new ByteArrayContent(sent));
        Assert.Equal(sent, await r.Content.ReadAsByteArrayAsync());
        Assert.True(payloads.TryDequeue(out var json));
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.TryGetProperty(field, out _), $"expected the body in {field}");
    }

    [Fact]
    public async Task BinaryBodiesCrossAsBase64()
    {
        var payloads = new ConcurrentQueue<byte[]>();
        await using var server = await TestServer.StartAsync(
            app => app.Post("/echo", async ctx => ctx.Data("application/octet-stream", (await ctx.ReadBodyAsync()).Span)).Worker(),
            new Config { WorkerPoolSize = 1 });
        server.App.WorkerPool!.PayloadObserver = p => payloads.Enqueue(p);
        byte[] sent = [0xFF, 0x00, 0xC3, 0x28, 0x7B, 0x22];
        var r = await server.Client.PostAsync("/echo", new ByteArrayContent(sent));
        Assert.Equal(sent, await r.Content.ReadAsByteArrayAsync());
        Assert.True(payloads.TryDequeue(out var json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(Convert.ToBase64String(sent), doc.RootElement.GetProperty("BodyBytes").GetString());
    }

    [Fact]
    public async Task BadJsonBodyIs400AndANonPrimitiveItemIsAClear500()
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Post("/point", async ctx =>
                {
                    var p = await ctx.ReadJsonAsync(TestJson.Default.Point);
                    ctx.Json(p!, TestJson.Default.Point);
                }).Worker();
                app.Group("/obj", ctx =>
                {
                    ctx.Items["user"] = new Uri("http://example.com");
                    return default;
                }).Get("/x", ctx => ctx.Text("never")).Worker();
                app.Get("/handler-sets-object", ctx =>
                {
                    ctx.Items["bad"] = new List<int>();
                    ctx.Text("x");
                }).Worker();
            },
            new Config { WorkerPoolSize = 1 });

        var bad = await server.Client.PostAsync("/point", new StringContent("{nope"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var ok = await server.Client.PostAsync("/point", new StringContent("{\"X\":1,\"Y\":2}"));
        Assert.Equal("{\"X\":1,\"Y\":2}", await ok.Content.ReadAsStringAsync());

        var obj = await server.Client.GetAsync("/obj/x");
        Assert.Equal(HttpStatusCode.InternalServerError, obj.StatusCode);
        Assert.Contains("Items[\"user\"] holds a Uri, which cannot cross into the worker pool", ErrorOf(await obj.Content.ReadAsStringAsync()));
        var handlerObj = await server.Client.GetAsync("/handler-sets-object");
        Assert.Equal(HttpStatusCode.InternalServerError, handlerObj.StatusCode);
        Assert.Contains("Items[\"bad\"] holds a List`1", ErrorOf(await handlerObj.Content.ReadAsStringAsync()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }

    private static string ErrorOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("error").GetString()!;
}
