using System.Globalization;
using System.Text.RegularExpressions;

namespace Sake.Bench.Scenarios;

/// <summary>
/// Scenario 4 (SC-003): the JSON worker boundary from bench/Sake.Benchmarks (BenchmarkDotNet, in-process):
/// WorkerRoundTrip − LoopRoundTrip as a share of a 400 µs handler, and the measured share of a real 400 µs request.
/// </summary>
internal sealed partial class Boundary : IScenario
{
    public string Id => "boundary";

    public string Title => "JSON worker boundary overhead (SC-003, BenchmarkDotNet round trip)";

    public string? Unavailable(BenchContext ctx) => null;

    public void Run(BenchContext ctx, ScenarioResult r)
    {
        // The trivial-handler pair only (boundary = worker − loop, as a share of 400 µs): the measured 400 µs pair
        // (LoopRoundTrip400/WorkerRoundTrip400) takes minutes more; run it with bench/Sake.Benchmarks directly.
        // In-process: no generated project to build. The class's own [SimpleJob] runs too; the report takes the first job.
        var args = ctx.Quick
            ? new List<string> { "run", "-c", "Release", "--project", "bench/Sake.Benchmarks", "--", "--filter", "*.LoopRoundTrip", "*.WorkerRoundTrip" }
            : new List<string> { "run", "-c", "Release", "--project", "bench/Sake.Benchmarks", "--", "--filter", "*.LoopRoundTrip", "*.WorkerRoundTrip", "--inProcess" };
        // Quick: one in-process Dry iteration instead of the class's [SimpleJob] (see bench/Sake.Benchmarks/Program.cs).
        var env = ctx.Quick ? new Dictionary<string, string> { ["SAKE_BENCH_DRY"] = "1" } : null;
        r.Commands.Add(Proc.Show("dotnet", args, env));
        BenchContext.Log("  BenchmarkDotNet: " + string.Join(' ', args));
        var (code, o, e) = Proc.Run("dotnet", args, TimeSpan.FromMinutes(15), env, ctx.Root);
        File.WriteAllText(Path.Combine(ctx.Logs, "boundary-benchmarkdotnet.log"), o + e);
        if (code != 0)
        {
            throw new InvalidOperationException($"BenchmarkDotNet failed ({code}); log: {ctx.Relative(ctx.Logs)}/boundary-benchmarkdotnet.log");
        }

        // Blocks as printed by bench/Sake.Benchmarks/Program.cs: a header per statistic, then the three lines.
        foreach (Match block in BlockRegex().Matches(o))
        {
            bool with400 = block.Groups["kind"].Value.Contains("400 µs handler", StringComparison.Ordinal);
            string statistic = block.Groups["stat"].Value;
            double loop = D(block.Groups["loop"].Value), worker = D(block.Groups["worker"].Value), boundary = D(block.Groups["boundary"].Value);
            double share = D(block.Groups["share"].Value);
            string group = with400 ? $"400 µs handler, {statistic}" : $"trivial handler, {statistic}";
            r.Metric(group, "loop route round trip", "µs", false).Add("Sake", loop);
            r.Metric(group, "worker route round trip", "µs", false).Add("Sake", worker);
            r.Metric(group, "boundary (worker − loop)", "µs", false).Add("Sake", boundary);
            r.Metric(group, with400 ? "boundary share of the whole 400 µs request" : "boundary as % of a 400 µs handler", "%", false, "boundary-share").Add("Sake", share);
        }

        if (r.Metrics.Count == 0)
        {
            throw new FormatException($"no SC-003 lines in the BenchmarkDotNet output; log: {ctx.Relative(ctx.Logs)}/boundary-benchmarkdotnet.log");
        }

        r.Notes.Add("WorkerRoundTrip − LoopRoundTrip: the same POST (12 headers, 1 KiB JSON body, 1 KiB JSON answer) over one keep-alive socket to an in-process SakeApp, the handler on the loop vs marked .Worker() (pool of 1): the four JSON codec steps plus the queue hand-off, the worker's wake-up and the post back to the loop.");
        r.Notes.Add("Spec: boundary < 2 % of a 400 µs handler, goal ≤ 1 %. On a shared machine the minimum is the better estimate of the quiet-machine cost; the mean is an upper bound.");
        if (ctx.Quick)
        {
            r.Notes.Add("Quick mode: BenchmarkDotNet's Dry job (one iteration): the numbers only show that the pipeline works.");
        }
    }

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(?<kind>SC-003 (?:worker boundary|with a 400 µs handler)) \((?<stat>\w+)\):\s*\n\s*loop route\s+(?<loop>-?[0-9.]+) µs\s*\n\s*worker route\s+(?<worker>-?[0-9.]+) µs\s*\n\s*boundary\s+(?<boundary>-?[0-9.]+) µs = (?<share>-?[0-9.]+) ?%")]
    private static partial Regex BlockRegex();
}
