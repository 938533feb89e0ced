using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Sake.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sake.Runtime.Tests.Hardening;

/// <summary>
/// Slow clients at scale (issue 8, part 3): Slowloris dribbling headers, bodies below the minimum data rate and
/// readers that never read. Each holds a connection open as cheaply as it can; none may stop a normal client, and
/// each must be closed (with 408 where a response is still possible) once its timeout passes. Timeouts are short
/// and the assertions are on outcomes, never on tight wall-clock bounds.
/// </summary>
[Collection(nameof(HardeningCollection))]
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private readonly ListLogger _log = new();

    /// <summary>The issue's figure; scaled down only if this process may not open two descriptors per dribbler.</summary>
    private const int WantedDribblers = 1000;

    [Fact]
    public async Task AThousandSlowlorisConnectionsDoNotStopANormalClientAndEachGets408()
    {
        // Client and server live in this process: each dribbler costs two descriptors. .NET raises the soft
        // RLIMIT_NOFILE to the hard limit at startup, so the soft limit read here is all a test could get; with
        // fewer than ~2,200 the test scales down (and says so) rather than fail on EMFILE.
        long room = (Abuse.DescriptorSoftLimit() - Abuse.OpenDescriptors() - 200) / 2;
        int count = (int)Math.Min(WantedDribblers, room);
        if (count < WantedDribblers)
        {
            output.WriteLine($"RLIMIT_NOFILE allows only {count} dribblers (wanted {WantedDribblers})");
        }

        Assert.True(count >= 100, $"the descriptor limit leaves room for only {count} dribblers");
        var headersTimeout = TimeSpan.FromSeconds(2);
        await using var server = await TestServer.StartAsync(
            app => app.Get("/x", ctx => ctx.Text("x")),
            new Config { RequestHeadersTimeout = headersTimeout, ListenBacklog = 2048, LoggerFactory = _log });

        using (var warm = new HttpClient { BaseAddress = server.App.BaseAddress })
        {
            // JIT and connection-pool warm-up, so the figure below measures the server, not the first HttpClient.
            Assert.Equal("x", await warm.GetStringAsync("/x"));
        }

        // Never completed: a request line and then an endless header, one byte per tick per connection.
        var dribble = Encoding.ASCII.GetBytes("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 64));
        var sockets = new Socket[count];
        var reads = new Task<(string Text, bool Ended)>[count];
        var answered = new bool[count];
        var connectedAt = new long[count];
        var answeredAt = new long[count];
        var sent = new int[count];
        var watch = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < count; i++)
            {
                // Taken before the connect: the server's clock for this connection cannot have started earlier.
                connectedAt[i] = Stopwatch.GetTimestamp();
                sockets[i] = Abuse.Connect(server.EndPoint);
                sockets[i].Blocking = false;
                reads[i] = ReadAndMarkAsync(sockets[i], answered, answeredAt, i);
                SendOneByte(sockets[i], dribble, sent, i);
            }

            output.WriteLine($"{count} dribblers connected in {watch.ElapsedMilliseconds} ms");

            // One timer loop drives every dribbler: a byte per connection per ~second, until it is answered.
            using var stop = new CancellationTokenSource();
            var driver = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    for (int i = 0; i < count; i++)
                    {
                        if (!Volatile.Read(ref answered[i]))
                        {
                            SendOneByte(sockets[i], dribble, sent, i);
                        }
                    }
                }
            });

            // While they dribble, a normal client is served (each on a new connection, as a new visitor would be).
            for (int k = 0; k < 3; k++)
            {
                using var client = new HttpClient { BaseAddress = server.App.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
                var normal = Stopwatch.StartNew();
                Assert.Equal("x", await client.GetStringAsync("/x"));
                output.WriteLine($"normal request (new connection) under {count} dribblers: {normal.Elapsed.TotalMilliseconds:F1} ms");
                await Task.Delay(300);
            }

            // Every dribbler is answered 408 with Connection: close and closed, after the headers timeout.
            var results = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await driver.ContinueWith(_ => { }, TaskScheduler.Default);
            output.WriteLine($"all {count} dribblers closed after {watch.Elapsed.TotalSeconds:F1} s");

            int got408 = 0;
            var unexpected = new List<string>();
            for (int i = 0; i < count; i++)
            {
                var (text, ended) = results[i];
                var responses = Abuse.ParseAll(text);
                if (ended && responses.Count == 1 && responses[0].Status == 408 && responses[0].ConnectionClose)
                {
                    got408++;
                }
                else if (unexpected.Count < 5)
                {
                    unexpected.Add($"#{i} ended={ended} sent={sent[i]}: {text}");
                }
            }

            Assert.True(got408 == count, $"{got408}/{count} dribblers got one 408 with Connection: close, e.g.\n{string.Join("\n", unexpected)}");

            // None was answered early: the server's clock for a connection starts after the client began connecting,
            // so each 408 must come at least the headers timeout after that (a lower bound only; no upper bound is
            // asserted beyond the 60 s read limit, so a busy machine cannot fail the test).
            double earliest = double.MaxValue;
            for (int i = 0; i < count; i++)
            {
                earliest = Math.Min(earliest, (answeredAt[i] - connectedAt[i]) / (double)Stopwatch.Frequency);
            }

            output.WriteLine($"earliest 408 came {earliest:F2} s after its connect (headers timeout {headersTimeout.TotalSeconds} s)");
            Assert.True(earliest >= headersTimeout.TotalSeconds, $"a 408 came {earliest:F2} s after its connect");

            // And the server is healthy afterwards: it answers, and once the dribblers hang up (it lingers for
            // their FIN after its 408) it holds nothing for them.
            foreach (var s in sockets)
            {
                s.Dispose();
            }

            using var after = server.Raw();
            await after.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("x", (await after.ReadResponseAsync()).Body);
            int open = int.MaxValue, holding = int.MaxValue;
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromSeconds(30) && (open > 1 || holding > 0))
            {
                (open, holding) = await server.App.CountBuffersAsync();
                await Task.Delay(50);
            }

            Assert.Equal(1, open);
            Assert.Equal(0, holding);
            Abuse.AssertNoServerFaults(_log);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s?.Dispose();
            }
        }
    }

    [Fact]
    public async Task SlowBodiesAtScaleGet408WhileNormalRequestsAreServed()
    {
        const int Count = 200;
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Post("/echo", async ctx => ctx.Text((await ctx.ReadBodyAsync()).Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                app.Post("/worker-echo", async ctx => ctx.Text((await ctx.ReadBodyAsync()).Length.ToString(System.Globalization.CultureInfo.InvariantCulture))).Worker();
                app.Get("/x", ctx => ctx.Text("x"));
            },
            new Config { MinRequestBodyDataRate = 100, MinRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(1), LoggerFactory = _log });

        var sockets = new List<Socket>();
        try
        {
            var reads = new List<Task<(string Text, bool Ended)>>();
            for (int i = 0; i < Count; i++)
            {
                var s = Abuse.Connect(server.EndPoint);
                sockets.Add(s);
                string route = i % 2 == 0 ? "/echo" : "/worker-echo";
                await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes($"POST {route} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nab"));
                reads.Add(Abuse.ReadUntilClosedAsync(s, TimeSpan.FromSeconds(60)));
            }

            // A body at a normal rate, and a plain request, while 200 bodies crawl.
            using var normal = server.Raw();
            await normal.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            Assert.Equal("5", (await normal.ReadResponseAsync()).Body);
            await normal.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("x", (await normal.ReadResponseAsync()).Body);

            // The crawlers keep sending a byte a second: far below 100 B/s.
            using var stop = new CancellationTokenSource();
            var driver = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                var one = new byte[] { (byte)'c' };
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    for (int i = 0; i < sockets.Count; i++)
                    {
                        if (!reads[i].IsCompleted)
                        {
                            try
                            {
                                sockets[i].Send(one, SocketFlags.None);
                            }
                            catch (SocketException)
                            {
                            }
                        }
                    }
                }
            });

            var results = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(90));
            await stop.CancelAsync();
            await driver.ContinueWith(_ => { }, TaskScheduler.Default);
            int got408 = 0;
            string? example = null;
            foreach (var (text, ended) in results)
            {
                var responses = Abuse.ParseAll(text);
                if (ended && responses.Count == 1 && responses[0].Status == 408 && responses[0].ConnectionClose)
                {
                    got408++;
                }
                else
                {
                    example ??= $"ended={ended}: {text}";
                }
            }

            Assert.True(got408 == Count, $"{got408}/{Count} slow bodies got one 408 and a close; e.g. {example}");
            Assert.Equal("x", await server.Client.GetStringAsync("/x"));
            Abuse.AssertNoServerFaults(_log);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
    }

    [Fact]
    public async Task ReadersThatStopReadingAreClosedAfterTheGracePeriodAndOthersAreServed()
    {
        const int Count = 50;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'z');
        var big = new string('b', 4 * 1024 * 1024);
        int streamingEnded = 0;
        await using var server = await TestServer.StartAsync(
            app =>
            {
                // Streams until the client is gone: only the response rate limit can end it.
                app.Get("/stream", async ctx =>
                {
                    try
                    {
                        while (!ctx.Aborted.IsCancellationRequested)
                        {
                            await ctx.WriteAsync(chunk);
                        }
                    }
                    catch (IOException)
                    {
                    }
                    finally
                    {
                        Interlocked.Increment(ref streamingEnded);
                    }
                });

                // A buffered response larger than what the kernel buffers hold.
                app.Get("/big", ctx => ctx.Text(big));
                app.Get("/x", ctx => ctx.Text("x"));
            },
            new Config { MinResponseDataRate = 10_000, MinResponseDataRateGracePeriod = TimeSpan.FromSeconds(1), LoggerFactory = _log });

        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < Count; i++)
            {
                var s = Abuse.Connect(server.EndPoint);
                s.ReceiveBufferSize = 64 * 1024;
                sockets.Add(s);
                await Abuse.TrySendAsync(s, Encoding.ASCII.GetBytes(i % 5 == 0 ? "GET /big HTTP/1.1\r\nHost: x\r\n\r\n" : "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
            }

            // And pipeliners that send 100,000 small requests and read nothing: the server stops reading them once
            // 64 KiB of answers wait, so their own sends stall too (left pending; disposing the socket ends them).
            var pipelined = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /x HTTP/1.1\r\nHost: x\r\n\r\n", 100_000)));
            for (int i = 0; i < 5; i++)
            {
                var s = Abuse.Connect(server.EndPoint);
                s.ReceiveBufferSize = 64 * 1024;
                sockets.Add(s);
                _ = Abuse.TrySendAsync(s, pipelined);
            }

            // Nobody reads. A normal client is served meanwhile.
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal("x", await server.Client.GetStringAsync("/x"));
            }

            // The server gives up on all of them: only the HttpClient's pooled connection stays open, and every
            // streaming handler has ended.
            var deadline = Stopwatch.StartNew();
            int open = int.MaxValue;
            while (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                (open, _) = await server.App.CountBuffersAsync();
                if (open <= 1 && Volatile.Read(ref streamingEnded) == Count - Count / 5)
                {
                    break;
                }

                await Task.Delay(200);
            }

            output.WriteLine($"slow readers closed after {deadline.Elapsed.TotalSeconds:F1} s of waiting");
            Assert.True(open <= 1, $"{open} connections still open after 60 s of unread responses");
            Assert.Equal(Count - Count / 5, Volatile.Read(ref streamingEnded));

            // What each client gets when it finally reads: part of a response, then the end (never all of it).
            foreach (var s in sockets.Take(Count))
            {
                var (text, ended) = await Abuse.ReadUntilClosedAsync(s, TimeSpan.FromSeconds(30));
                Assert.True(ended, "a slow reader's connection was still open");
                Assert.Empty(Abuse.ParseAll(text));
            }

            Assert.Equal("x", await server.Client.GetStringAsync("/x"));
            Abuse.AssertNoServerFaults(_log);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
    }

    private static async Task<(string Text, bool Ended)> ReadAndMarkAsync(Socket socket, bool[] answered, long[] answeredAt, int index)
    {
        var buffer = new byte[4096];
        var received = new MemoryStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return (Encoding.Latin1.GetString(received.ToArray()), false);
            }
            catch (SocketException)
            {
                return (Encoding.Latin1.GetString(received.ToArray()), true);
            }

            if (n == 0)
            {
                return (Encoding.Latin1.GetString(received.ToArray()), true);
            }

            // Stop dribbling once answered: bytes sent after the server's final close would come back as RST.
            if (!Volatile.Read(ref answered[index]))
            {
                answeredAt[index] = Stopwatch.GetTimestamp();
                Volatile.Write(ref answered[index], true);
            }

            received.Write(buffer, 0, n);
        }
    }

    private static void SendOneByte(Socket socket, byte[] dribble, int[] sent, int i)
    {
        if (sent[i] >= dribble.Length)
        {
            return;
        }

        try
        {
            if (socket.Send(dribble, sent[i], 1, SocketFlags.None) == 1)
            {
                sent[i]++;
            }
        }
        catch (SocketException)
        {
            // Reset or would-block: the read side reports what happened.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
