using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sake.Runtime.Tests.Hardening;

/// <summary>
/// Graceful shutdown under load (issue 8, part 5), with a real SIGTERM: the server is tests/Sake.ShutdownTarget, a
/// separate process running <c>SakeApp.Run</c>, loaded by keep-alive clients (one request in flight each) on loop
/// and worker routes when the signal arrives.
/// </summary>
/// <remarks>
/// What "accepted" means here: a request is accepted when the server has read its whole head and started its
/// handler; the target counts exactly those (its handlers increment a counter first thing) and prints the count when
/// it exits. When the drain begins the server keeps every connection that is in a request or already has the next
/// request's bytes in its socket (those are read and answered with <c>Connection: close</c>), and closes the idle
/// rest. A request that reaches an idle connection after that check, or sits in a connection not yet taken from
/// the listen backlog, is not accepted: its client sees the connection end (FIN or RST) with no byte of a response,
/// the case HTTP clients retry. So the test checks, per request sent: either one complete response, or an end with
/// no response byte at all (never a partial response, never two); and in total: complete responses received ==
/// handlers the server started == handlers that finished. After the signal new connections are refused while the
/// server is still draining, and the process exits by itself within the shutdown timeout.
/// </remarks>
[Collection(nameof(HardeningCollection))]
public sealed class ShutdownUnderLoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    /// <summary>Generous slack for a busy machine on top of the configured timeout (process exit, runtime teardown).</summary>
    private static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(10);

    private enum Outcome
    {
        Answered,
        AnsweredAndClosed,
        Unanswered,
        Partial,
    }

    [Fact]
    public async Task SigtermUnderLoadAnswersEveryAcceptedRequestRefusesNewConnectionsAndExitsInTime()
    {
        await using var target = await Target.StartAsync(ShutdownTimeout);
        const int FastClients = 16;
        const int SlowClients = 2;
        long sent = 0, answered = 0, unanswered = 0, partial = 0, closedAfterResponse = 0, closedBeforeSend = 0;
        var slowAnsweredAt = new List<long>();
        var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task ClientAsync(int id, bool slow)
        {
            using var socket = Abuse.Connect(target.EndPoint);
            var buffer = new MemoryStream();
            for (int k = 0; ; k++)
            {
                string path = slow ? "/work?ms=4000" : k % 2 == 0 ? $"/work?ms={5 + (id % 4) * 5}" : "/cpu";
                if (!await Abuse.TrySendAsync(socket, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n")))
                {
                    // The server closed the idle connection and the client already knew: nothing was sent.
                    Interlocked.Increment(ref closedBeforeSend);
                    return;
                }

                Interlocked.Increment(ref sent);
                var (outcome, closes) = await ReadOneAsync(socket, buffer);
                switch (outcome)
                {
                    case Outcome.Answered:
                        Interlocked.Increment(ref answered);
                        if (slow && signalled.Task.IsCompleted)
                        {
                            lock (slowAnsweredAt)
                            {
                                slowAnsweredAt.Add(Stopwatch.GetTimestamp());
                            }
                        }

                        if (closes)
                        {
                            // "Connection: close" only comes from a draining server in this test.
                            Interlocked.Increment(ref closedAfterResponse);
                            Assert.Equal(0, await socket.ReceiveAsync(new byte[16], SocketFlags.None));
                            return;
                        }

                        break;
                    case Outcome.Unanswered:
                        Interlocked.Increment(ref unanswered);
                        return;
                    default:
                        Interlocked.Increment(ref partial);
                        return;
                }
            }
        }

        var clients = new List<Task>();
        for (int i = 0; i < FastClients; i++)
        {
            clients.Add(ClientAsync(i, slow: false));
        }

        // Under load, two 4 s requests start; the signal comes once the server is running both (its handlers have
        // started: they are accepted), so they are in flight at the signal whatever the machine's speed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        for (int i = 0; i < SlowClients; i++)
        {
            clients.Add(ClientAsync(i, slow: true));
        }

        var wait = Stopwatch.StartNew();
        while (await target.GetAsync("/slow-inflight") != SlowClients.ToString(CultureInfo.InvariantCulture))
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(20), "the slow requests did not start");
            await Task.Delay(20);
        }

        long sentAtSignal = Interlocked.Read(ref sent);
        var signalTime = Stopwatch.GetTimestamp();
        target.Signal();
        signalled.TrySetResult();

        // The server stops listening first thing: new connections are refused from then on, while it is still
        // finishing the slow requests (4 s each, so they end seconds after the refusal is seen).
        long refusedAt = 0;
        var refusing = Stopwatch.StartNew();
        while (refusedAt == 0)
        {
            try
            {
                Abuse.Connect(target.EndPoint).Dispose();
                Assert.True(refusing.Elapsed < TimeSpan.FromSeconds(20), "the server still accepted connections 20 s after SIGTERM");
                await Task.Delay(10);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                refusedAt = Stopwatch.GetTimestamp();
            }
        }

        Assert.False(target.Process.HasExited, "the server exited before its in-flight requests were answered");
        for (int i = 0; i < 5; i++)
        {
            var e = Assert.ThrowsAny<SocketException>(() => Abuse.Connect(target.EndPoint).Dispose());
            Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
        }

        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));
        var (handlerStarts, handlerEnds, exitCode) = await target.WaitForExitAsync(ShutdownTimeout + ExitMargin);
        var exitedAfter = Stopwatch.GetElapsedTime(signalTime);

        output.WriteLine(FormattableString.Invariant(
            $"sent {sent} ({sentAtSignal} before the signal); answered {answered} ({closedAfterResponse} with Connection: close); unanswered (closed, no byte) {unanswered}; partial {partial}; closed before a send {closedBeforeSend}"));
        output.WriteLine(FormattableString.Invariant(
            $"server: {handlerStarts} handlers started, {handlerEnds} finished; exit code {exitCode} {exitedAfter.TotalMilliseconds:F0} ms after SIGTERM"));

        Assert.Equal(0, partial);
        Assert.Equal(0, exitCode);
        Assert.Equal(handlerStarts, handlerEnds);
        Assert.Equal(handlerStarts, answered);
        Assert.Equal(sent, answered + unanswered);

        // Each connection ends once: with a closing response, one unanswered request, or closed while idle.
        Assert.Equal(FastClients + SlowClients, closedAfterResponse + unanswered + closedBeforeSend);

        // The slow requests in flight at the signal were answered, after new connections had been refused.
        Assert.Equal(SlowClients, slowAnsweredAt.Count);
        Assert.All(slowAnsweredAt, t => Assert.True(t > refusedAt, "a slow in-flight request was answered before the refusal check"));
        Assert.True(exitedAfter < ShutdownTimeout + ExitMargin, $"exited {exitedAfter} after SIGTERM");
    }

    [Theory]
    [InlineData("/hang")]
    [InlineData("/worker-hang")]
    public async Task SigtermWithAHandlerThatNeverFinishesExitsAfterTheShutdownTimeout(string route)
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var target = await Target.StartAsync(timeout);
        using var hung = Abuse.Connect(target.EndPoint);
        await Abuse.TrySendAsync(hung, Encoding.ASCII.GetBytes($"GET {route} HTTP/1.1\r\nHost: x\r\n\r\n"));
        using var idle = Abuse.Connect(target.EndPoint);
        await Abuse.TrySendAsync(idle, Encoding.ASCII.GetBytes("GET /work?ms=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
        var buffer = new MemoryStream();
        Assert.Equal(Outcome.Answered, (await ReadOneAsync(idle, buffer)).Outcome);
        await Task.Delay(200);

        var signalTime = Stopwatch.GetTimestamp();
        target.Signal();

        // The idle keep-alive connection is closed at once; the hung request's connection when the timeout is up,
        // with no partial response.
        var (idleText, idleEnded) = await Abuse.ReadUntilClosedAsync(idle, TimeSpan.FromSeconds(20));
        Assert.True(idleEnded);
        Assert.Equal(string.Empty, idleText);
        var (hungText, hungEnded) = await Abuse.ReadUntilClosedAsync(hung, TimeSpan.FromSeconds(30));
        Assert.True(hungEnded);
        Assert.Equal(string.Empty, hungText);

        var (starts, ends, exitCode) = await target.WaitForExitAsync(timeout + ExitMargin);
        var exitedAfter = Stopwatch.GetElapsedTime(signalTime);
        output.WriteLine(FormattableString.Invariant($"{route}: exit code {exitCode} {exitedAfter.TotalMilliseconds:F0} ms after SIGTERM (shutdown timeout {timeout.TotalMilliseconds} ms)"));
        Assert.Equal(0, exitCode);
        Assert.Equal(1, starts);
        Assert.Equal(1, ends);
        Assert.True(exitedAfter >= timeout * 0.9, $"exited {exitedAfter} after SIGTERM, before the shutdown timeout");
        Assert.True(exitedAfter < timeout + ExitMargin, $"exited {exitedAfter} after SIGTERM");
    }

    [Fact]
    public async Task ARequestThatArrivedBeforeTheDrainBeganIsAnsweredNotReset()
    {
        // Deterministic version of the race above: the loop is held up in a handler while a keep-alive client's next
        // request arrives and the stop is requested, so the drain runs before the loop has seen those bytes. The
        // connection looks idle, but its request was fully sent before the drain: it must be answered.
        var inHandler = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        await using var server = await Infrastructure.TestServer.StartAsync(
            app =>
            {
                app.Get("/x", ctx => ctx.Text("x"));
                app.Get("/block", ctx =>
                {
                    // Blocks the event loop on purpose (the detector is off).
                    inHandler.Set();
                    release.Wait(TimeSpan.FromSeconds(20));
                    ctx.Text("unblocked");
                });
            },
            new Config { BlockedLoopThreshold = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(10) });

        using var keepAlive = server.Raw();
        await keepAlive.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("x", (await keepAlive.ReadResponseAsync()).Body);
        using var blocker = server.Raw();
        await blocker.SendAsync("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(inHandler.Wait(TimeSpan.FromSeconds(20)));

        await keepAlive.SendAsync("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        await Task.Delay(100);
        var stop = server.App.StopAsync();
        await Task.Delay(100);
        release.Set();

        var answer = await keepAlive.ReadResponseAsync();
        Assert.Equal("x", answer.Body);
        Assert.True(answer.ConnectionClose);
        Assert.True(await keepAlive.IsClosedByServerAsync());
        Assert.Equal("unblocked", (await blocker.ReadResponseAsync()).Body);
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Reads exactly one response (or the end of the connection) into <paramref name="pending"/>.</summary>
    private static async Task<(Outcome Outcome, bool Closes)> ReadOneAsync(Socket socket, MemoryStream pending)
    {
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Infrastructure.RawResponse.TryParse(pending.GetBuffer().AsSpan(0, (int)pending.Length), headRequest: false, out var response, out int length))
            {
                // One request in flight: nothing may follow its response.
                var rest = pending.GetBuffer().AsSpan(length, (int)pending.Length - length).ToArray();
                pending.SetLength(0);
                pending.Write(rest);
                Assert.True(rest.Length == 0, "bytes after the response: " + Encoding.Latin1.GetString(rest));
                Assert.Equal(200, response!.Status);
                return (Outcome.Answered, response.ConnectionClose);
            }

            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                n = 0;
            }

            if (n == 0)
            {
                return (pending.Length == 0 ? Outcome.Unanswered : Outcome.Partial, true);
            }

            pending.Write(buffer, 0, n);
        }
    }

    /// <summary>The target process: started on a free port, ready when /ready answers.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly StringBuilder _stdout = new();

        private Target(Process process, IPEndPoint endPoint)
        {
            Process = process;
            EndPoint = endPoint;
        }

        public Process Process { get; }

        public IPEndPoint EndPoint { get; }

        public static async Task<Target> StartAsync(TimeSpan shutdownTimeout)
        {
            string dll = LocateTarget();
            int port = FreePort();
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(dll);
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
            info.ArgumentList.Add(((int)shutdownTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            var process = Process.Start(info)!;
            var target = new Target(process, new IPEndPoint(IPAddress.Loopback, port));
            process.OutputDataReceived += (_, e) =>
            {
                lock (target._stdout)
                {
                    target._stdout.AppendLine(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (target._stdout)
                {
                    target._stdout.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var watch = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var probe = Abuse.Connect(target.EndPoint);
                    await Abuse.TrySendAsync(probe, Encoding.ASCII.GetBytes("GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
                    var (text, _) = await Abuse.ReadUntilClosedAsync(probe, TimeSpan.FromSeconds(5));
                    if (text.Contains("ready", StringComparison.Ordinal))
                    {
                        return target;
                    }
                }
                catch (SocketException)
                {
                }

                if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await target.DisposeAsync();
                    throw new InvalidOperationException("The shutdown target did not become ready:\n" + target.Output);
                }

                await Task.Delay(100);
            }
        }

        public string Output
        {
            get
            {
                lock (_stdout)
                {
                    return _stdout.ToString();
                }
            }
        }

        /// <summary>One GET on a new connection; the response body.</summary>
        public async Task<string> GetAsync(string path)
        {
            using var socket = Abuse.Connect(EndPoint);
            await Abuse.TrySendAsync(socket, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            var (text, _) = await Abuse.ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(10));
            var responses = Abuse.ParseAll(text);
            return responses.Count == 1 ? responses[0].Body : string.Empty;
        }

        /// <summary>A real SIGTERM, as a service manager or container runtime sends it.</summary>
        public void Signal()
        {
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        /// <summary>Waits for the exit; returns the handler counts the target printed and its exit code.</summary>
        public async Task<(long Started, long Finished, int ExitCode)> WaitForExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await Process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The server had not exited {timeout} after SIGTERM. Output:\n{Output}");
            }

            // WaitForExitAsync also waits for the redirected streams to reach their end.
            var match = Regex.Match(Output, @"handled started=(\d+) finished=(\d+)");
            Assert.True(match.Success, "no handler counts in the target's output:\n" + Output);
            return (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), Process.ExitCode);
        }

        public ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(5000);
            }

            Process.Dispose();
            return default;
        }

        private static int FreePort()
        {
            using var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)l.LocalEndPoint!).Port;
        }

        /// <summary>tests/Sake.ShutdownTarget's build output, same configuration and framework as this test assembly's.</summary>
        private static string LocateTarget()
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfm.Parent!;
            var testsDir = configuration.Parent!.Parent!.Parent!;
            string dll = Path.Combine(testsDir.FullName, "Sake.ShutdownTarget", "bin", configuration.Name, tfm.Name, "Sake.ShutdownTarget.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing (the test project builds it through a ProjectReference)");
            return dll;
        }
    }
}
