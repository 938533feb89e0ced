namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 3 (SC-002): a CPU-bound request (100k iterations of bench/CpuBench/CpuWork.cs) at 128 concurrent
/// connections: Sake on the event loop vs Sake on the worker pool vs Kestrel (bench/LoadGen, closed loop).
/// </summary>
internal sealed class CpuRoute : IScenario
{
    private const int Connections = 128;

    public string Id => "cpu";

    public string Title => "CPU route, 100k iterations per request, 128 connections (SC-002)";

    public string? Unavailable(BenchContext ctx) => null;

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        string cpuBench = Builds.Aot(ctx, "CpuBench");
        string kestrel = Builds.Aot(ctx, "KestrelCpu");
        string loadGen = Builds.Aot(ctx, "LoadGen");
        string group = $"{ctx.Flavor} /cpu, {Connections} connections";
        var rps = r.Metric(group, "rps", "req/s", true, "cpu-rps", "Sake worker/Sake loop", "Sake worker/Kestrel", "Sake loop/Kestrel");
        var p99 = r.Metric(group, "p99 latency", "ms", false, "cpu-p99", "Sake worker/Sake loop", "Sake worker/Kestrel");
        var p50 = r.Metric(group, "p50 latency", "ms", false, null);
        var cores = r.Metric(group, "server CPU", "cores", true, null);
        string? expected = null;
        for (int round = 1; round <= ctx.Rounds; round++)
        {
            foreach (var (side, exe, port, path) in new[]
            {
                ("Sake loop", cpuBench, Ports.Sake, "/cpu/loop"),
                ("Sake worker", cpuBench, Ports.Sake, "/cpu/worker"),
                ("Kestrel", kestrel, Ports.Kestrel, "/cpu"),
            })
            {
                using var server = Server.Start(ctx, exe, port);
                if (!r.Commands.Contains(server.Command))
                {
                    r.Commands.Add(server.Command);
                }

                var (status, body) = Server.Get(port, path, 5000);
                expected ??= body;
                if (status != 200 || body != expected)
                {
                    throw new InvalidOperationException($"{side} {path}: status {status}, body '{body}' (expected '{expected}')");
                }

                var x = Tools.LoadGen(loadGen, server.Url + path, Connections, ctx.Duration, ctx.Warmup, 10, server.Pid, r.Commands, ctx);
                rps.Add(side, x["rps"]);
                p99.Add(side, x["p99_ms"]);
                p50.Add(side, x["p50_ms"]);
                cores.Add(side, x.GetValueOrDefault("server_cpu_cores", double.NaN));
                if (x["errors"] + x["non2xx"] > 0)
                {
                    r.Notes.Add($"round {round}: {side} had {x["errors"]} errors and {x["non2xx"]} non-2xx responses.");
                }

                BenchContext.Log($"  {side} round {round}: {x["rps"]:F0} rps, p99 {x["p99_ms"]:F1} ms");
            }
        }

        r.Notes.Add($"All three answer the same hash (checked), so each ran the whole loop. The pool is auto-sized: one worker per CPU ({ctx.Cpus} here). On {ctx.Cpus} CPUs the worker pool can at best use the CPUs the event loop leaves; the 16-core scaling run is bench/worker-scaling.sh (not run here: no 16-core machine was available).");
    }
}
