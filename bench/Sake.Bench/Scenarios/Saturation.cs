using System.Diagnostics;

namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 8 (SC-008): the worker route flooded at 10× its capacity. Capacity = requests the pool holds at once
/// (workers + queue: N + 64 × N by default); the flood keeps 10 × that many connections busy on /cpu/worker.
/// Measured: the share of 503s, the latency of the accepted (2xx) requests, RSS every 100 ms before/during/after,
/// and recovery: time from the flood's end to the first 200, then a light load compared with the one before.
/// </summary>
internal sealed class Saturation : IScenario
{
    private const int LightConnections = 4;

    public string Id => "saturation";

    public string Title => "Saturation: worker route at 10× capacity (SC-008)";

    public string? Unavailable(BenchContext ctx) => null;

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        string cpuBench = Builds.Aot(ctx, "CpuBench");
        string loadGen = Builds.Aot(ctx, "LoadGen");
        int workers = ctx.Cpus;
        int capacity = workers + (64 * workers);
        int flood = 10 * capacity;
        double floodSeconds = ctx.Quick ? 2 : 10;
        double light = ctx.Quick ? 1 : 3;
        string g = $"{ctx.Flavor} CpuBench /cpu/worker";
        var shed = r.Metric(g + ", flood", "503 share", "%", false, "saturation-latency");
        var floodRps = r.Metric(g + ", flood", "2xx rps", "req/s", true);
        var okP50 = r.Metric(g + ", flood", "p50 latency of accepted (2xx)", "ms", false, "saturation-latency");
        var okP99 = r.Metric(g + ", flood", "p99 latency of accepted (2xx)", "ms", false, "saturation-latency");
        var errors = r.Metric(g + ", flood", "connection errors", "", false);
        var before = r.Metric(g + $", {LightConnections} connections", "rps", "req/s", true, null, "after/before");
        var beforeP99 = r.Metric(g + $", {LightConnections} connections", "p99 latency", "ms", false, null, "after/before");
        var light503 = r.Metric(g + $", {LightConnections} connections", "non-2xx", "", false);
        var recovery = r.Metric(g, "first 200 after the flood", "ms", false);
        var rssPeak = r.Metric(g, "RSS", "MiB", false, null, "peak in flood/idle before");
        for (int round = 1; round <= ctx.Rounds; round++)
        {
            using var server = Server.Start(ctx, cpuBench, Ports.Sake);
            if (!r.Commands.Contains(server.Command))
            {
                r.Commands.Add(server.Command);
            }

            var rss = new Series { Chart = "saturation-rss", Name = $"round {round}", XLabel = "seconds", YLabel = "server RSS, MiB" };
            var clock = Stopwatch.StartNew();
            using var sampler = new Timer(_ =>
            {
                double kb = server.RssKb();
                lock (rss)
                {
                    rss.X.Add(clock.Elapsed.TotalSeconds);
                    rss.Y.Add(kb / 1024);
                }
            }, null, 0, 100);

            var b = Tools.LoadGen(loadGen, server.Url + "/cpu/worker", LightConnections, light, 0.5, 10, null, r.Commands, ctx);
            before.Add("before", b["rps"]);
            beforeP99.Add("before", b["p99_ms"]);
            light503.Add("before", b["non2xx"]);
            double idleRss = server.RssKb() / 1024;
            double floodStart = clock.Elapsed.TotalSeconds;
            var f = Tools.LoadGen(loadGen, server.Url + "/cpu/worker", flood, floodSeconds, 1, 10, server.Pid, r.Commands, ctx);
            double floodEnd = clock.Elapsed.TotalSeconds;
            var sw = Stopwatch.StartNew();
            int probes503 = 0, probesNone = 0, probesOther = 0;
            while (sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                int status = Server.Get(Ports.Sake, "/cpu/worker", 1000).Status;
                if (status == 200)
                {
                    break;
                }

                _ = status == 503 ? probes503++ : status == 0 ? probesNone++ : probesOther++;
                Thread.Sleep(1);
            }

            double recoveredMs = sw.Elapsed.TotalMilliseconds;
            recovery.Add("Sake", recoveredMs);
            r.Notes.Add($"Round {round}: before the first 200 after the flood ({recoveredMs:F0} ms) the probe got {probes503} × 503, {probesNone} × no answer within 1 s, {probesOther} × another status.");
            var a = Tools.LoadGen(loadGen, server.Url + "/cpu/worker", LightConnections, light, 0.5, 10, null, r.Commands, ctx);
            before.Add("after", a["rps"]);
            beforeP99.Add("after", a["p99_ms"]);
            light503.Add("after", a["non2xx"]);
            Thread.Sleep(1000);
            sampler.Dispose();
            double total = f["requests"];
            shed.Add("Sake", total > 0 ? 100 * f["non2xx"] / total : double.NaN);
            floodRps.Add("Sake", f["rps"] * (total > 0 ? (total - f["non2xx"]) / total : 0));
            okP50.Add("Sake", f["ok_p50_ms"]);
            okP99.Add("Sake", f["ok_p99_ms"]);
            errors.Add("Sake", f["errors"]);
            lock (rss)
            {
                var during = rss.X.Select((x, i) => (x, y: rss.Y[i])).Where(p => p.x >= floodStart && p.x <= floodEnd).Select(p => p.y).DefaultIfEmpty(double.NaN).Max();
                rssPeak.Add("idle before", idleRss);
                rssPeak.Add("peak in flood", during);
                rssPeak.Add("after recovery", rss.Y.Count > 0 ? rss.Y[^1] : double.NaN);
                r.Series.Add(rss);
                r.Notes.Add($"Round {round}: flood from {floodStart:F1} s to {floodEnd:F1} s on the RSS chart.");
            }

            BenchContext.Log($"  round {round}: 503 share {shed.Samples["Sake"][^1]:F1} %, accepted p99 {f["ok_p99_ms"]:F1} ms, recovery {recoveredMs:F0} ms");
        }

        r.Notes.Add($"Capacity = {workers} workers + a queue of 64 × {workers} = {capacity} requests in the pool at once; the flood keeps {flood} connections (10×) busy on /cpu/worker for {floodSeconds} s (after 1 s of warm-up) with bench/LoadGen, closed loop: a client answered 503 sends its next request at once, so the 503 share is the share of all answers, not of distinct clients.");
        r.Notes.Add($"Before/after: {LightConnections} connections for {light} s on the same route; recovery = time from the flood's last request to the first 200 on a fresh connection.");
    }
}
