namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 6 (SC-007): idle RSS of CpuBench with 1 vs 64 workers (after one request on /plaintext and one on the
/// worker route), per worker = difference / 63. Also SC-004's substitute: how many workers the default
/// (WorkerPoolSize = 0) starts here and under CPU limits, counted from the threads named "Sake worker".
/// </summary>
internal sealed class WorkerMemory : IScenario
{
    public string Id => "memory";

    public string Title => "Idle memory per worker thread (SC-007); default pool size (SC-004)";

    public string? Unavailable(BenchContext ctx) => null;

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        string cpuBench = Builds.Aot(ctx, "CpuBench");
        int rounds = Math.Max(ctx.Rounds, ctx.Quick ? 1 : 5);
        string group = $"{ctx.Flavor} CpuBench idle";
        var rss = r.Metric(group, "idle RSS", "MiB", false, "memory-rss", "64 workers/1 worker");
        var perWorker = r.Metric(group, "RSS per extra worker ((64 − 1) / 63)", "KiB", false);
        for (int round = 1; round <= rounds; round++)
        {
            double one = Idle(ctx, r, cpuBench, new() { ["SAKE_WORKERS"] = "1" }, null).RssKb;
            double many = Idle(ctx, r, cpuBench, new() { ["SAKE_WORKERS"] = "64" }, null).RssKb;
            rss.Add("1 worker", one / 1024);
            rss.Add("64 workers", many / 1024);
            perWorker.Add("per worker", (many - one) / 63);
        }

        // SC-004 cannot be measured (it is about users); what can be shown is what the default picks.
        var picks = r.Metric("default WorkerPoolSize = 0", "workers started", "threads", true);
        foreach (var (label, env, cpus) in new (string, Dictionary<string, string>, string?)[]
        {
            ($"this machine ({ctx.Cpus} CPUs)", new(), null),
            ("DOTNET_PROCESSOR_COUNT=1", new() { ["DOTNET_PROCESSOR_COUNT"] = "1" }, null),
            ("taskset -c 0 (affinity: 1 CPU)", new(), "0"),
            ("DOTNET_PROCESSOR_COUNT=4 (an override above the CPU count)", new() { ["DOTNET_PROCESSOR_COUNT"] = "4" }, null),
        })
        {
            if (cpus is not null && !ctx.CanPin)
            {
                continue;
            }

            var (_, workers) = Idle(ctx, r, cpuBench, env, cpus);
            picks.Add(label, workers);
        }

        r.Notes.Add("SC-004 ('90 % of users never configure the pool size') is about users and cannot be measured by a benchmark. The table shows instead what the default (WorkerPoolSize = 0 → Environment.ProcessorCount) starts: threads named 'Sake worker N' counted in /proc/PID/task. .NET derives ProcessorCount from the affinity mask and the cgroup CPU quota (a container's --cpus), and DOTNET_PROCESSOR_COUNT overrides it.");
        r.Notes.Add($"{rounds} alternating rounds; RSS is VmRSS 300 ms after a request on /plaintext and one on /cpu/worker (so the pool has run).");
    }

    private static (double RssKb, int Workers) Idle(BenchContext ctx, ScenarioResult r, string exe, Dictionary<string, string> env, string? cpus)
    {
        using var server = Server.Start(ctx, exe, Ports.Sake, cpus, env);
        if (!r.Commands.Contains(server.Command))
        {
            r.Commands.Add(server.Command);
        }

        if (Server.Get(Ports.Sake, "/cpu/worker", 5000).Status != 200)
        {
            throw new InvalidOperationException("/cpu/worker did not answer 200");
        }

        Thread.Sleep(300);
        return (server.RssKb(), Proc.Threads(server.Pid, "Sake worker"));
    }
}
