using System.Globalization;

namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 7 (SC-001): an I/O-bound route (await Task.Delay(10)) at 100, 1,000 and 10,000 concurrent keep-alive
/// connections (bench/LoadGen, closed loop): throughput, p50/p99, errors; Sake (CpuBench /delay, MaxConnections
/// 20,000) vs Kestrel (KestrelCpu /delay). The server's open sockets are counted mid-run to check the load
/// generator really holds the connections.
/// </summary>
internal sealed class Connections : IScenario
{
    public string Id => "connections";

    public string Title => "Concurrent keep-alive connections on an I/O-bound route, await Task.Delay(10) (SC-001)";

    public string? Unavailable(BenchContext ctx) => null;

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        string sake = Builds.Aot(ctx, "CpuBench");
        string kestrel = Builds.Aot(ctx, "KestrelCpu");
        string loadGen = Builds.Aot(ctx, "LoadGen");
        long hard = Proc.HardFileLimit();
        int top = ctx.Quick ? 2_000 : 10_000;
        if (hard < top + 200)
        {
            r.Notes.Add($"The hard file limit here is {hard}: the top level is lowered from {top} to {hard - 200}.");
            top = (int)(hard - 200);
        }

        int[] levels = [100, 1_000, top];
        var env = new Dictionary<string, string> { ["SAKE_MAX_CONNECTIONS"] = (2 * top).ToString(CultureInfo.InvariantCulture) };
        // 10,000 connects take a while on 2 CPUs: a longer warm-up lets them all open before the window.
        double warmup = Math.Max(ctx.Warmup, ctx.Quick ? 1 : 3);
        foreach (int c in levels)
        {
            string group = $"{ctx.Flavor} {c:N0} connections";
            var rps = r.Metric(group, "rps", "req/s", true, null, "Sake/Kestrel");
            var p50 = r.Metric(group, "p50 latency", "ms", false, null, "Sake/Kestrel");
            var p99 = r.Metric(group, "p99 latency", "ms", false, null, "Sake/Kestrel");
            var errors = r.Metric(group, "errors + non-2xx", "", false);
            var held = r.Metric(group, "server sockets mid-run", "", true);
            var cores = r.Metric(group, "server CPU", "cores", false);
            for (int round = 1; round <= ctx.Rounds; round++)
            {
                foreach (var (side, exe, port) in new[] { ("Sake", sake, Ports.Sake), ("Kestrel", kestrel, Ports.Kestrel) })
                {
                    using var server = Server.Start(ctx, exe, port, null, side == "Sake" ? env : null);
                    if (!r.Commands.Contains(server.Command))
                    {
                        r.Commands.Add(server.Command);
                    }

                    if (Server.Get(port, "/delay", 5000).Status != 200)
                    {
                        throw new InvalidOperationException($"{side} /delay did not answer 200");
                    }

                    int sockets = 0;
                    using var counter = new Timer(_ => sockets = Proc.Sockets(server.Pid), null, TimeSpan.FromSeconds(warmup + (ctx.Duration / 2)), Timeout.InfiniteTimeSpan);
                    var x = Tools.LoadGen(loadGen, server.Url + "/delay", c, ctx.Duration, warmup, 10, server.Pid, r.Commands, ctx);
                    rps.Add(side, x["rps"]);
                    p50.Add(side, x["p50_ms"]);
                    p99.Add(side, x["p99_ms"]);
                    errors.Add(side, x["errors"] + x["non2xx"]);
                    held.Add(side, sockets);
                    cores.Add(side, x.GetValueOrDefault("server_cpu_cores", double.NaN));
                    BenchContext.Log($"  {group} round {round} {side}: {x["rps"]:F0} rps, p50 {x["p50_ms"]:F1} ms, p99 {x["p99_ms"]:F1} ms, errors {x["errors"] + x["non2xx"]}, sockets {sockets}");
                }
            }
        }

        foreach (var side in new[] { "Sake", "Kestrel" })
        {
            var s = new Series { Chart = "connections-rps", Name = side, XLabel = "connections", YLabel = "req/s (median)" };
            var l = new Series { Chart = "connections-p99", Name = side + " p99", XLabel = "connections", YLabel = "latency, ms (median of rounds)" };
            var l50 = new Series { Chart = "connections-p99", Name = side + " p50", XLabel = "connections", YLabel = "latency, ms (median of rounds)" };
            foreach (int c in levels)
            {
                string group = $"{ctx.Flavor} {c:N0} connections";
                s.X.Add(c);
                s.Y.Add(r.Metric(group, "rps", "req/s").Median(side));
                l.X.Add(c);
                l.Y.Add(r.Metric(group, "p99 latency", "ms").Median(side));
                l50.X.Add(c);
                l50.Y.Add(r.Metric(group, "p50 latency", "ms").Median(side));
            }

            r.Series.AddRange([s, l, l50]);
        }

        var at1k = r.Metric($"{ctx.Flavor} {1_000:N0} connections", "rps", "req/s");
        var atTop = r.Metric($"{ctx.Flavor} {top:N0} connections", "rps", "req/s");
        double ratio = atTop.Median("Sake") / at1k.Median("Sake");
        double errs = r.Metric($"{ctx.Flavor} {top:N0} connections", "errors + non-2xx", "").Samples.GetValueOrDefault("Sake", []).Sum();
        double heldAtTop = r.Metric($"{ctx.Flavor} {top:N0} connections", "server sockets mid-run", "").Median("Sake");
        bool ok = ratio >= 0.9 && errs == 0;
        r.Notes.Add($"SC-001 'without degradation' (throughput at {top:N0} ≥ 0.9 × the 1,000 figure, 0 errors): Sake {top:N0}/1,000 throughput = {BenchContext.F(ratio)}, errors at {top:N0} = {errs:F0}, server sockets mid-run ≈ {heldAtTop:F0} (listener included) → **{(ok ? "met" : "not met")}** on this run.");
        r.Notes.Add("The ceiling is connections / 10 ms: 10,000 req/s at 100 connections; at 1,000 and above it is far beyond what the CPUs deliver, so both servers are CPU-bound (load generator and server share the CPUs), and more connections mean more ready sockets per wake-up, so throughput can still rise with the connection count.");
        r.Notes.Add("Both servers and LoadGen run with the soft file limit raised to the hard one (`ulimit -n $(ulimit -Hn)`), Sake with MaxConnections = 2 × the top level (Kestrel sets no limit). LoadGen's connect/request timeout is 10 s.");
    }
}
