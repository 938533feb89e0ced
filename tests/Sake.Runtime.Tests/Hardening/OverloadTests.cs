using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Sake.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sake.Runtime.Tests.Hardening;

/// <summary>
/// Overload (issue 8, part 4): worker routes far past their capacity and the connection limit in both modes.
/// Overload must be shed with fast 503s, never by losing or doubling an answer, and the server must recover.
/// </summary>
[Collection(nameof(HardeningCollection))]
public sealed class OverloadTests(ITestOutputHelper output)
{
    private readonly ListLogger _log = new();

    [Fact]
    public async Task WorkerRoutesAtTenTimesCapacityShedWith503sWhileWorkersAreBusyAndRecover()
    {
        // Capacity: 2 running + 8 queued = 10 requests in the server at once; the flood is 100.
        const int Capacity = 10;
        const int Flood = 100;
        var gate = new ManualResetEventSlim();
        int ran = 0;
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/w", ctx =>
                {
                    Interlocked.Increment(ref ran);
                    gate.Wait(TimeSpan.FromSeconds(30));
                    ctx.Text("w");
                }).Worker();
                app.Get("/x", ctx => ctx.Text("x"));
            },
            new Config { WorkerPoolSize = 2, WorkerQueueCapacity = 8, LoggerFactory = _log });

        var clients = new RawClient[Flood];
        try
        {
            for (int i = 0; i < Flood; i++)
            {
                clients[i] = server.Raw();
                await clients[i].SendAsync("GET /w HTTP/1.1\r\nHost: x\r\n\r\n");
            }

            // "Fast": every request beyond capacity is answered while every worker is still blocked on the gate,
            // i.e. without waiting for a worker at all. The loop itself keeps serving meanwhile.
            var reads = new Task<RawResponse>[Flood];
            for (int i = 0; i < Flood; i++)
            {
                reads[i] = clients[i].ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));
            }

            var watch = Stopwatch.StartNew();
            while (CountCompleted(reads) < Flood - Capacity && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            // A worker may take its first item a moment late, so one or two more than 90 may be shed: let them land.
            await Task.Delay(500);
            int shed = CountCompleted(reads);
            output.WriteLine($"{shed} 503s within {watch.ElapsedMilliseconds} ms of the last request, workers blocked");
            Assert.InRange(shed, Flood - Capacity, Flood - Capacity + 2);
            Assert.Equal("x", await server.Client.GetStringAsync("/x"));
            Assert.False(gate.IsSet);
            foreach (var r in reads)
            {
                if (r.IsCompleted)
                {
                    var rejected = await r;
                    Assert.Equal(503, rejected.Status);
                    Assert.NotNull(rejected.Header("Retry-After"));
                }
            }

            // Release: every request not shed is served, each exactly once.
            gate.Set();
            var responses = await Task.WhenAll(reads);
            int rejectedCount = responses.Count(r => r.Status == 503);
            Assert.InRange(rejectedCount, Flood - Capacity, Flood - Capacity + 2);
            Assert.Equal(Flood - rejectedCount, responses.Count(r => r.Status == 200));
            Assert.Equal(Flood - rejectedCount, Volatile.Read(ref ran));

            // Full recovery: the same connections (a 503 from the worker queue keeps the connection) are served.
            for (int i = 0; i < Flood; i += 10)
            {
                await clients[i].SendAsync("GET /w HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal("w", (await clients[i].ReadResponseAsync()).Body);
            }

            Abuse.AssertNoServerFaults(_log);
        }
        finally
        {
            gate.Set();
            foreach (var c in clients)
            {
                c?.Dispose();
            }
        }
    }

    [Fact]
    public async Task SustainedTenfoldOverloadAnswersEveryRequestOnceWithBoundedMemory()
    {
        // 2 workers × ~5 ms of CPU each and a queue of 4: ~6 requests fit; 60 closed-loop connections hammer it.
        const int Connections = 60;
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/cpu", ctx =>
                {
                    var spin = Stopwatch.StartNew();
                    while (spin.ElapsedTicks < Stopwatch.Frequency / 200)
                    {
                        Thread.SpinWait(100);
                    }

                    ctx.Text("cpu");
                }).Worker();
                app.Get("/x", ctx => ctx.Text("x"));
            },
            new Config { WorkerPoolSize = 2, WorkerQueueCapacity = 4, LoggerFactory = _log });

        // Warm-up round, then memory is measured across rounds: it must not grow with the number of requests.
        await RunRoundAsync(server, Connections, TimeSpan.FromSeconds(1));
        long before = ManagedHeapAfterGc();
        long rssBefore = Environment.WorkingSet;
        var totals = (Ok: 0L, Rejected: 0L);
        for (int round = 0; round < 3; round++)
        {
            var (ok, rejected) = await RunRoundAsync(server, Connections, TimeSpan.FromSeconds(2));
            totals = (totals.Ok + ok, totals.Rejected + rejected);
        }

        long after = ManagedHeapAfterGc();
        long rssAfter = Environment.WorkingSet;
        double share = totals.Rejected / (double)(totals.Ok + totals.Rejected);
        output.WriteLine(FormattableString.Invariant(
            $"200: {totals.Ok}, 503: {totals.Rejected} ({share:P1}); managed heap {before / 1024} -> {after / 1024} KiB; RSS {rssBefore / 1048576} -> {rssAfter / 1048576} MiB"));

        Assert.True(totals.Ok > 0, "no worker request succeeded under overload");
        Assert.True(totals.Rejected > 0, "the overload was never shed with a 503");

        // Bounded: the queue holds at most a few requests, so the heap does not grow with the load (16 MiB of slack
        // for the test's own bookkeeping and GC timing).
        Assert.True(after - before < 16 * 1024 * 1024, $"managed heap grew by {(after - before) / 1024} KiB under overload");

        // Recovery: once the flood stops, worker requests succeed again, one after another.
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("cpu", await server.Client.GetStringAsync("/cpu"));
        }

        var (open, holding) = await server.App.CountBuffersAsync();
        Assert.Equal(0, holding);
        Assert.True(open <= 1, $"{open} connections left open");
        Abuse.AssertNoServerFaults(_log);
    }

    [Fact]
    public async Task RejectModeAtItsConnectionLimitAnswersTheExtraWith503AndServesTheRest()
    {
        const int Limit = 50;
        const int Clients = 200;
        var release = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(
            app => app.Get("/hold", async ctx =>
            {
                await release.Task;
                ctx.Text("held");
            }),
            new Config { MaxConnections = Limit, ConnectionLimitMode = ConnectionLimitMode.Reject, LoggerFactory = _log });

        var clients = new List<RawClient>();
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                var c = server.Raw();
                clients.Add(c);
                await c.SendAsync("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
            }

            // The extra 150 are answered at once (503 + close) while the first 50 are still held.
            var reads = clients.Select(c => c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60))).ToArray();
            var watch = Stopwatch.StartNew();
            while (reads.Count(t => t.IsCompleted) < Clients - Limit && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            await Task.Delay(200);
            Assert.Equal(Clients - Limit, reads.Count(t => t.IsCompleted));
            Assert.All(reads.Where(t => t.IsCompleted), t => Assert.Equal(503, t.Result.Status));
            release.SetResult();
            var responses = await Task.WhenAll(reads);

            // Exactly one response each: the rejected ones are then closed, the served ones stay open and quiet.
            int served = 0, rejected = 0;
            for (int i = 0; i < Clients; i++)
            {
                if (responses[i].Status == 503)
                {
                    rejected++;
                    Assert.True(responses[i].ConnectionClose);
                    Assert.NotNull(responses[i].Header("Retry-After"));
                    Assert.Equal(string.Empty, await clients[i].ReadToEndAsync(TimeSpan.FromSeconds(30)));
                }
                else
                {
                    Assert.Equal("held", responses[i].Body);
                    served++;
                }
            }

            output.WriteLine($"served {served}, rejected {rejected}");
            Assert.Equal(Limit, served);
            Assert.Equal(Clients - Limit, rejected);
            Abuse.AssertNoServerFaults(_log);
        }
        finally
        {
            release.TrySetResult();
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public async Task QueueModeAtItsConnectionLimitServesEveryClientNeverExceedingTheLimit()
    {
        const int Limit = 20;
        const int Clients = 200;
        int inHandler = 0, maxInHandler = 0;
        await using var server = await TestServer.StartAsync(
            app => app.Get("/slow", async ctx =>
            {
                int now = Interlocked.Increment(ref inHandler);
                int seen;
                while ((seen = Volatile.Read(ref maxInHandler)) < now && Interlocked.CompareExchange(ref maxInHandler, now, seen) != seen)
                {
                }

                await Task.Delay(20);
                Interlocked.Decrement(ref inHandler);
                ctx.Text("ok");
            }),
            new Config { MaxConnections = Limit, ConnectionLimitMode = ConnectionLimitMode.Queue, LoggerFactory = _log });

        int maxOpen = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (open, _) = await server.App.CountBuffersAsync();
                maxOpen = Math.Max(maxOpen, open);
                await Task.Delay(5);
            }
        });

        var sockets = new List<Socket>();
        try
        {
            // All 200 connect at once (the kernel completes the handshakes into the backlog); each asks once.
            var request = Encoding.ASCII.GetBytes("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            var reads = new List<Task<(string Text, bool Ended)>>();
            for (int i = 0; i < Clients; i++)
            {
                var s = Abuse.Connect(server.EndPoint);
                sockets.Add(s);
                await Abuse.TrySendAsync(s, request);
                // Like any client told "Connection: close", it hangs up once the response has arrived.
                reads.Add(Abuse.ReadUntilClosedAsync(s, TimeSpan.FromSeconds(90)).ContinueWith(
                    t =>
                    {
                        s.Dispose();
                        return t.Result;
                    },
                    TaskScheduler.Default));
            }

            var results = await Task.WhenAll(reads);
            await stop.CancelAsync();
            await sampler;
            int ok = results.Count(r => r.Ended && Abuse.ParseAll(r.Text) is [{ Status: 200, Body: "ok" }]);
            output.WriteLine($"{ok}/{Clients} served; at most {maxOpen} open, {maxInHandler} in handlers");
            Assert.Equal(Clients, ok);
            Assert.InRange(maxOpen, 1, Limit);
            Assert.InRange(maxInHandler, 1, Limit);
            Abuse.AssertNoServerFaults(_log);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
    }

    [Fact]
    public async Task BurstsOfLargeBodiesAndResponsesDoNotStayPinnedAfterwards()
    {
        // 20 clients at once each send a 3 MiB body and fetch a 4 MiB response. While they run the server needs
        // ~20 × 16 MiB of buffers; afterwards (a steady, allocation-free server may not see a gen-2 GC for hours)
        // those buffers must not stay reachable in a pool.
        const int Clients = 20;
        var big = new string('b', 4 * 1024 * 1024);
        var body = new byte[3 * 1024 * 1024];
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/big", ctx => ctx.Text(big));
                app.Post("/len", async ctx => ctx.Text((await ctx.ReadBodyAsync()).Length.ToString(CultureInfo.InvariantCulture)));
                app.Post("/worker-len", async ctx => ctx.Text((await ctx.ReadBodyAsync()).Length.ToString(CultureInfo.InvariantCulture))).Worker();
            },
            new Config { WorkerPoolSize = 2, LoggerFactory = _log });

        async Task RoundAsync()
        {
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
            {
                using var raw = server.Raw();
                await raw.SendAsync(Encoding.ASCII.GetBytes($"POST {(i % 2 == 0 ? "/len" : "/worker-len")} HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\n\r\n"));
                await raw.SendAsync(body);
                Assert.Equal(body.Length.ToString(CultureInfo.InvariantCulture), (await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60))).Body);
                await raw.SendAsync("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                Assert.Equal(big.Length, (await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60))).Body.Length);
            })));
        }

        // Relative to what was reachable before the first burst (other tests may have left pooled buffers behind).
        long before = ManagedHeapAfterGc();
        for (int round = 0; round < 4; round++)
        {
            await RoundAsync();
        }

        await Task.Delay(500);
        long after = ManagedHeapAfterGc();
        output.WriteLine($"managed heap before the bursts {before / 1048576} MiB, after four {after / 1048576} MiB");

        // The bursts needed ~20 × 16 MiB at once; what stays reachable afterwards must be a small part of it (it
        // was 567 MiB when buffers of any size went back to the shared ArrayPool).
        Assert.True(after - before < 64L * 1024 * 1024, $"{(after - before) / 1048576} MiB more reachable after the bursts");
        Abuse.AssertNoServerFaults(_log);
    }

    /// <summary>
    /// <paramref name="connections"/> keep-alive clients, each with one request in flight, for <paramref name="duration"/>;
    /// asserts each request got exactly one complete response (200 or 503) and returns the counts.
    /// </summary>
    private static async Task<(long Ok, long Rejected)> RunRoundAsync(TestServer server, int connections, TimeSpan duration)
    {
        long ok = 0, rejected = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task[connections];
        for (int c = 0; c < connections; c++)
        {
            tasks[c] = Task.Run(async () =>
            {
                using var raw = server.Raw();
                int sent = 0, answered = 0;
                while (Stopwatch.GetTimestamp() < until)
                {
                    await raw.SendAsync("GET /cpu HTTP/1.1\r\nHost: x\r\n\r\n");
                    sent++;
                    var r = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
                    answered++;
                    if (r.Status == 200)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        Assert.Equal(503, r.Status);
                        Interlocked.Increment(ref rejected);
                    }
                }

                // Exactly one response each: nothing further is waiting on the connection.
                Assert.Equal(sent, answered);
                raw.Socket.Shutdown(SocketShutdown.Send);
                Assert.Equal(string.Empty, await raw.ReadToEndAsync(TimeSpan.FromSeconds(30)));
            });
        }

        await Task.WhenAll(tasks);
        return (ok, rejected);
    }

    private static int CountCompleted(Task<RawResponse>[] reads)
    {
        int n = 0;
        foreach (var r in reads)
        {
            n += r.IsCompleted ? 1 : 0;
        }

        return n;
    }

    private static long ManagedHeapAfterGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
