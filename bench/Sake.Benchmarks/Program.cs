using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Sake.Benchmarks;

// SAKE_BENCH_DRY=1 (bench/Sake.Bench's quick mode): one in-process Dry job and nothing else; the classes' own
// [SimpleJob] attributes are ignored (AlwaysUseGlobal), so a smoke check takes seconds, not minutes.
IConfig? config = Environment.GetEnvironmentVariable("SAKE_BENCH_DRY") == "1"
    ? DefaultConfig.Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance)).WithUnionRule(ConfigUnionRule.AlwaysUseGlobal)
    : null;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(WorkerBoundaryBenchmarks).Assembly).Run(args, config);
BoundaryReport.Print(summaries);

/// <summary>Turns the round-trip means into the SC-003 number: boundary cost as a share of a 400 µs handler.</summary>
internal static class BoundaryReport
{
    private const double HandlerMicroseconds = 400;

    public static void Print(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
        // One report per method: with a job from the command line (e.g. --inProcess) next to the class's own
        // [SimpleJob], each method runs once per job; the first job's numbers are used.
        var byMethod = reports.GroupBy(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name).Select(g => g.First()).ToList();
        Print("means", byMethod.ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics!.Mean / 1000.0));
        Print("medians", byMethod.ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics!.Median / 1000.0));
        Print("minimums", byMethod.ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics!.Min / 1000.0));
    }

    private static void Print(string statistic, Dictionary<string, double> means)
    {
        if (means.TryGetValue(nameof(WorkerBoundaryBenchmarks.LoopRoundTrip400), out double loop400)
            && means.TryGetValue(nameof(WorkerBoundaryBenchmarks.WorkerRoundTrip400), out double worker400))
        {
            Console.WriteLine();
            Console.WriteLine($"SC-003 with a 400 µs handler ({statistic}):");
            Console.WriteLine($"  loop route   {loop400,9:F2} µs");
            Console.WriteLine($"  worker route {worker400,9:F2} µs");
            Console.WriteLine($"  boundary     {worker400 - loop400,9:F2} µs = {(worker400 - loop400) / loop400:P2} of the whole request (spec < 2 %, goal <= 1 %)");
        }

        if (!means.TryGetValue(nameof(WorkerBoundaryBenchmarks.LoopRoundTrip), out double loop)
            || !means.TryGetValue(nameof(WorkerBoundaryBenchmarks.WorkerRoundTrip), out double worker))
        {
            return;
        }

        double boundary = worker - loop;
        Console.WriteLine();
        Console.WriteLine($"SC-003 worker boundary ({statistic}):");
        Console.WriteLine($"  loop route   {loop,9:F2} µs");
        Console.WriteLine($"  worker route {worker,9:F2} µs");
        Console.WriteLine($"  boundary     {boundary,9:F2} µs = {boundary / HandlerMicroseconds:P2} of a {HandlerMicroseconds} µs handler (spec < 2 %, goal <= 1 %)");
        string[] codec = [nameof(WorkerBoundaryBenchmarks.SerializeRequest), nameof(WorkerBoundaryBenchmarks.DeserializeRequest), nameof(WorkerBoundaryBenchmarks.SerializeResponse), nameof(WorkerBoundaryBenchmarks.DeserializeResponseAndApply)];
        if (codec.All(means.ContainsKey))
        {
            double json = codec.Sum(n => means[n]);
            Console.WriteLine($"  of which JSON codec steps {json:F2} µs ({json / HandlerMicroseconds:P2}); hand-off + wake-ups {boundary - json:F2} µs");
        }
    }
}
