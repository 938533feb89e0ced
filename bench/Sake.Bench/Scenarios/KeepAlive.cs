namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 1: /plaintext and /json, keep-alive, not pipelined (wrk -t1 -c64); rps and server CPU seconds per
/// request read from /proc; pinned (server CPU 0, wrk CPU 1) and unpinned; NativeAOT and JIT; Sake then Kestrel
/// each round, a fresh server per run. Both servers produce every response per request (no cached bytes).
/// </summary>
internal sealed class KeepAlive : IScenario
{
    private const int Connections = 64;

    public string Id => "keepalive";

    public string Title => "Plaintext and JSON, keep-alive, not pipelined (wrk, 64 connections)";

    public string? Unavailable(BenchContext ctx) => Tools.Ensure("wrk", "wrk") ? null : "skipped: wrk not installed (apt-get install -y wrk)";

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        var variants = new List<(string Flavor, bool Pinned)>();
        if (ctx.CanPin)
        {
            variants.Add((ctx.Flavor, true));
        }

        variants.Add((ctx.Flavor, false));
        if (ctx.UseAot)
        {
            variants.Add(("JIT", false));
            if (ctx.CanPin && Environment.GetEnvironmentVariable("JIT_PINNED") == "1")
            {
                variants.Add(("JIT", true));
            }
        }

        foreach (var (flavor, pinned) in variants)
        {
            string sake = flavor == "JIT" ? Builds.Jit(ctx, "HelloWorld") : Builds.Aot(ctx, "HelloWorld");
            string kestrel = flavor == "JIT" ? Builds.Jit(ctx, "KestrelHelloWorld") : Builds.Aot(ctx, "KestrelHelloWorld");
            foreach (var route in new[] { "/plaintext", "/json" })
            {
                string group = $"{flavor} {(pinned ? "pinned" : "unpinned")} {route}";
                var rps = r.Metric(group, "rps", "req/s", true, "keepalive-rps", "Sake/Kestrel");
                var cpu = r.Metric(group, "server CPU per request", "µs", false, "keepalive-cpu", "Sake/Kestrel");
                for (int round = 1; round <= ctx.Rounds; round++)
                {
                    foreach (var (side, exe, port) in new[] { ("Sake", sake, Ports.Sake), ("Kestrel", kestrel, Ports.Kestrel) })
                    {
                        var (x, c, errors) = RunOne(ctx, r, exe, port, route, pinned);
                        rps.Add(side, x);
                        cpu.Add(side, c);
                        if (errors > 0)
                        {
                            r.Notes.Add($"{group} round {round}: {side} had {errors} errors or non-2xx responses.");
                        }

                        BenchContext.Log($"  {group} round {round} {side}: {x:F0} rps, {c:F2} µs CPU/request");
                    }
                }
            }
        }

        r.Notes.Add("Both servers build every response per request (current Date header, body serialized or copied per request; no cached response bytes); each run starts a fresh server, checks status and body once, warms up with the same wrk command, then measures.");
        r.Notes.Add("Server CPU per request = (utime + stime of the server from /proc/PID/stat after the measured run − before) / requests completed.");
    }

    private static (double Rps, double CpuUs, long Errors) RunOne(BenchContext ctx, ScenarioResult r, string exe, int port, string route, bool pinned)
    {
        using var server = Server.Start(ctx, exe, port, pinned ? "0" : null);
        if (!r.Commands.Contains(server.Command))
        {
            r.Commands.Add(server.Command);
        }

        var (status, body) = Server.Get(port, route, 2000);
        string expected = route == "/json" ? "{\"message\":\"Hello, World!\"}" : "Hello, World!";
        if (status != 200 || body != expected)
        {
            throw new InvalidOperationException($"{server.Name} {route}: status {status}, body '{body}' (expected '{expected}')");
        }

        string? wrkCpus = pinned ? "1" : null;
        Tools.Wrk(server.Url + route, Connections, ctx.Warmup, wrkCpus);
        double c0 = server.CpuSeconds();
        var w = Tools.Wrk(server.Url + route, Connections, ctx.Duration, wrkCpus, r.Commands);
        double c1 = server.CpuSeconds();
        return (w.Rps, (c1 - c0) * 1e6 / Math.Max(1, w.Requests), w.Errors);
    }
}
