using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 5 (SC-006): time to first response (spawn → first 200 on /plaintext, probed every 0.2 ms with a raw
/// socket), binary size and idle RSS (300 ms after the first response): Sake HelloWorld vs Kestrel minimal API,
/// NativeAOT and JIT; and the worker pool enabled vs disabled (CpuBench, SAKE_POOL=1/0).
/// </summary>
internal sealed class Startup : IScenario
{
    public string Id => "startup";

    public string Title => "Startup: time to first response, binary size, idle RSS; worker pool on vs off (SC-006)";

    public string? Unavailable(BenchContext ctx) => null;

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        int rounds = Math.Max(ctx.Rounds, ctx.Quick ? 1 : 7);
        var flavors = ctx.UseAot ? new[] { "AOT", "JIT" } : new[] { "JIT" };
        foreach (var flavor in flavors)
        {
            string sake = flavor == "AOT" ? Builds.Aot(ctx, "HelloWorld") : Builds.Jit(ctx, "HelloWorld");
            string kestrel = flavor == "AOT" ? Builds.Aot(ctx, "KestrelHelloWorld") : Builds.Jit(ctx, "KestrelHelloWorld");
            var ttfr = r.Metric($"{flavor} HelloWorld", "time to first response", "ms", false, "startup-ttfr", "Kestrel/Sake");
            var rss = r.Metric($"{flavor} HelloWorld", "idle RSS", "MiB", false, "startup-rss", "Kestrel/Sake");
            if (flavor == "AOT" && ctx.UseAot)
            {
                var size = r.Metric($"{flavor} HelloWorld", "binary size", "MB", false, "startup-size", "Kestrel/Sake");
                size.Add("Sake", new FileInfo(sake).Length / 1e6);
                size.Add("Kestrel", new FileInfo(kestrel).Length / 1e6);
            }
            for (int round = 1; round <= rounds; round++)
            {
                foreach (var (side, exe, port) in new[] { ("Sake", sake, Ports.Sake), ("Kestrel", kestrel, Ports.Kestrel) })
                {
                    var (ms, kb) = Measure(ctx, r, exe, port, null);
                    ttfr.Add(side, ms);
                    rss.Add(side, kb / 1024);
                }
            }

            BenchContext.Log($"  {flavor}: TTFR Sake {ttfr.Median("Sake"):F1} ms, Kestrel {ttfr.Median("Kestrel"):F1} ms");
        }

        string cpuBench = Builds.Aot(ctx, "CpuBench");
        var pool = r.Metric($"{ctx.Flavor} CpuBench", "time to first response", "ms", false, "startup-pool", "pool on/pool off");
        var poolRss = r.Metric($"{ctx.Flavor} CpuBench", "idle RSS", "MiB", false, null, "pool on/pool off");
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var (side, env) in new[] { ("pool on", "1"), ("pool off", "0") })
            {
                var (ms, kb) = Measure(ctx, r, cpuBench, Ports.Sake, new Dictionary<string, string> { ["SAKE_POOL"] = env });
                pool.Add(side, ms);
                poolRss.Add(side, kb / 1024);
            }
        }

        r.Notes.Add($"{rounds} alternating rounds. Time to first response: from Process.Start (a /bin/sh that execs the server) to the first complete 200 on /plaintext, retried every 0.2 ms on a fresh connection; idle RSS: VmRSS 300 ms later.");
        r.Notes.Add("The pool-on/off pair uses bench/CpuBench (one worker per CPU when on); the difference is what starting the worker pool costs.");
    }

    private static (double Ms, double RssKb) Measure(BenchContext ctx, ScenarioResult r, string exe, int port, Dictionary<string, string>? env)
    {
        if (Server.Get(port, "/plaintext", 200).Status != 0)
        {
            throw new InvalidOperationException($"port {port} is busy");
        }

        var request = Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var buffer = new byte[64];
        var sw = Stopwatch.StartNew();
        using var server = Server.Spawn(ctx, exe, port, null, env);
        if (!r.Commands.Contains(server.Command))
        {
            r.Commands.Add(server.Command);
        }

        while (true)
        {
            if (server.Exited)
            {
                throw new InvalidOperationException($"{server.Name} exited during startup");
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"{server.Name} did not answer within 20 s");
            }

            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.Connect("127.0.0.1", port);
                s.Send(request);
                int n = s.Receive(buffer);
                if (n >= 12 && Encoding.ASCII.GetString(buffer, 0, 12) == "HTTP/1.1 200")
                {
                    break;
                }
            }
            catch (SocketException)
            {
            }

            Thread.Sleep(TimeSpan.FromMicroseconds(200));
        }

        double ms = sw.Elapsed.TotalMilliseconds;
        Thread.Sleep(300);
        return (ms, server.RssKb());
    }
}
