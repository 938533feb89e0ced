namespace Sake.Bench.Scenarios;

/// <summary>Scenario 2: /plaintext pipelined 16 deep (h2load --h1 -m16, 64 connections), pinned when possible; rps ratio.</summary>
internal sealed class Pipelined : IScenario
{
    public string Id => "pipelined";

    public string Title => "Plaintext pipelined 16 deep (h2load --h1 -m16, 64 connections)";

    public string? Unavailable(BenchContext ctx) => Tools.Ensure("h2load", "nghttp2-client") ? null : "skipped: h2load not installed (apt-get install -y nghttp2-client)";

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        string sake = Builds.Aot(ctx, "HelloWorld");
        string kestrel = Builds.Aot(ctx, "KestrelHelloWorld");
        bool pinned = ctx.CanPin;
        string group = $"{ctx.Flavor} {(pinned ? "pinned" : "unpinned")} /plaintext -m16";
        var rps = r.Metric(group, "rps", "req/s", true, "pipelined-rps", "Sake/Kestrel");
        var cpu = r.Metric(group, "server CPU per request", "µs", false, null, "Sake/Kestrel");
        for (int round = 1; round <= ctx.Rounds; round++)
        {
            foreach (var (side, exe, port) in new[] { ("Sake", sake, Ports.Sake), ("Kestrel", kestrel, Ports.Kestrel) })
            {
                using var server = Server.Start(ctx, exe, port, pinned ? "0" : null);
                if (!r.Commands.Contains(server.Command))
                {
                    r.Commands.Add(server.Command);
                }

                double c0 = server.CpuSeconds();
                var h = Tools.H2load(server.Url + "/plaintext", 64, 16, ctx.Duration, ctx.Warmup, pinned ? "1" : null, r.Commands);
                double c1 = server.CpuSeconds();
                rps.Add(side, h.Rps);
                // The CPU window includes the warm-up; requests counted by h2load are the measured ones only, so
                // scale by the share of the window that was measured.
                double measured = Math.Max(1, Math.Ceiling(ctx.Duration)), warm = Math.Max(1, Math.Ceiling(ctx.Warmup));
                cpu.Add(side, (c1 - c0) * (measured / (measured + warm)) * 1e6 / Math.Max(1, h.Succeeded));
                if (h.Failed > 0)
                {
                    r.Notes.Add($"round {round}: {side} had {h.Failed} failed/errored/non-2xx requests.");
                }

                BenchContext.Log($"  {group} round {round} {side}: {h.Rps:F0} rps");
            }
        }

        r.Notes.Add("Server CPU per request here is approximate: the /proc window includes h2load's warm-up, scaled by measured / (warm-up + measured) time.");
    }
}
