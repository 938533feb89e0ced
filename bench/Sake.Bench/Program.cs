// bench/Sake.Bench: one command that measures Sake against Kestrel side by side and draws the results.
//
//   dotnet run -c Release --project bench/Sake.Bench -- all            full run → docs/benchmarks.md + docs/benchmarks/*.png
//   dotnet run -c Release --project bench/Sake.Bench -- quick          every scenario briefly (CI smoke check; JIT builds;
//                                                                       writes artifacts/bench/benchmarks-quick.md)
//   dotnet run -c Release --project bench/Sake.Bench -- keepalive cpu  only these scenarios (merged into results.json)
//   dotnet run -c Release --project bench/Sake.Bench -- render         re-render the doc from artifacts/bench/results.json
// Options: --aot (quick mode with NativeAOT builds). Environment: ROUNDS, DURATION, WARMUP (seconds),
// SAKE_BENCH_NO_INSTALL=1 (never apt-get). Scenarios: keepalive pipelined cpu boundary startup memory connections saturation.

using System.Globalization;
using Sake.Bench;
using Sake.Bench.Scenarios;

IScenario[] all = [new KeepAlive(), new Pipelined(), new CpuRoute(), new Boundary(), new Startup(), new WorkerMemory(), new Connections(), new Saturation()];

string root = FindRoot();
bool quick = args.Contains("quick") || args.Contains("--quick");
bool aot = args.Contains("--aot");
var ids = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && a is not "all" and not "quick" and not "render").ToList();
var unknown = ids.Where(i => !all.Any(s => s.Id == i)).ToList();
if (unknown.Count > 0 || args.Length == 0 || args.Contains("-h") || args.Contains("--help"))
{
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"unknown scenario(s): {string.Join(", ", unknown)}");
    }

    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Sake.Bench -- all | quick [--aot] | render | <scenario>...");
    Console.Error.WriteLine("scenarios: " + string.Join(' ', all.Select(s => s.Id)));
    return args.Length == 0 || unknown.Count > 0 ? 2 : 0;
}

var ctx = new BenchContext(root, quick, aot);
string resultsPath = Path.Combine(ctx.Artifacts, quick ? "results-quick.json" : "results.json");
string mdPath = quick ? Path.Combine(ctx.Artifacts, "benchmarks-quick.md") : Path.Combine(root, "docs", "benchmarks.md");

if (args.Contains("render"))
{
    Report.Write(Results.Load(resultsPath), root, mdPath);
    return 0;
}

var selected = ids.Count == 0 ? all : all.Where(s => ids.Contains(s.Id)).ToArray();
var results = ids.Count > 0 && File.Exists(resultsPath) ? Results.Load(resultsPath) : new Results();
results.Date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
results.Mode = quick ? "quick" : "full";
results.Machine = MachineDescription();
results.Kernel = Proc.Run("uname", ["-sr"], TimeSpan.FromSeconds(5)).Out.Trim();
results.Sdk = Proc.Run("dotnet", ["--version"], TimeSpan.FromSeconds(30)).Out.Trim();
results.LoadBefore = Proc.LoadAverage();
results.Command = "dotnet run -c Release --project bench/Sake.Bench -- " + string.Join(' ', args);
results.Rounds = ctx.Rounds;
results.DurationSeconds = ctx.Duration;
BenchContext.Log($"Sake.Bench {results.Mode}: {selected.Length} scenario(s), {ctx.Rounds} round(s), {ctx.Duration} s windows, load {results.LoadBefore}");

int failures = 0;
var total = BenchContext.Clock();
try
{
    Builds.All(ctx, selected.Any(s => s.Id is "keepalive" or "startup"));
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

foreach (var scenario in selected)
{
    var r = new ScenarioResult { Id = scenario.Id, Title = scenario.Title };
    var sw = BenchContext.Clock();
    BenchContext.Log($"== {scenario.Id}: {scenario.Title}");
    try
    {
        r.Skipped = scenario.Unavailable(ctx);
        if (r.Skipped is not null)
        {
            BenchContext.Log($"   {r.Skipped}");
        }
        else
        {
            scenario.Run(ctx, r);
            if (!r.HasNumbers)
            {
                r.Failed = "the scenario produced no numbers";
            }
        }
    }
    catch (Exception ex) when (ex is not OutOfMemoryException)
    {
        r.Failed = ex.Message.Split('\n')[0];
        File.AppendAllText(Path.Combine(ctx.Logs, "failures.log"), $"{scenario.Id}: {ex}\n");
    }

    r.Seconds = sw.Elapsed.TotalSeconds;
    if (r.Failed is not null)
    {
        failures++;
        BenchContext.Log($"   FAILED: {r.Failed}");
    }

    BenchContext.Log($"   {scenario.Id} took {r.Seconds:F0} s");
    int at = results.Scenarios.FindIndex(x => x.Id == r.Id);
    if (at >= 0)
    {
        results.Scenarios[at] = r;
    }
    else
    {
        results.Scenarios.Add(r);
    }

    results.Scenarios.Sort((a, b) => Array.FindIndex(all, s => s.Id == a.Id).CompareTo(Array.FindIndex(all, s => s.Id == b.Id)));
    results.LoadAfter = Proc.LoadAverage();
    results.BuildCommands = results.BuildCommands.Union(Builds.Commands).ToList();
    results.Save(resultsPath);
}

Report.Write(results, root, mdPath);
BenchContext.Log($"done in {total.Elapsed.TotalMinutes:F1} min; {failures} scenario(s) failed; results in {ctx.Relative(resultsPath)}, report in {ctx.Relative(mdPath)}");
foreach (var s in results.Scenarios.Where(s => selected.Any(x => x.Id == s.Id)))
{
    Console.WriteLine($"{s.Id,-12} {(s.Skipped ?? (s.Failed is null ? $"ok ({s.Metrics.Count} measurements, {s.Seconds:F0} s)" : "FAILED: " + s.Failed))}");
}

return failures == 0 ? 0 : 1;

static string FindRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Sake.sln")))
            {
                return d.FullName;
            }
        }
    }

    throw new InvalidOperationException("run from inside the Sake repository (no Sake.sln found above the current directory)");
}

static string MachineDescription()
{
    string model = "unknown CPU";
    try
    {
        model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
    }
    catch (IOException)
    {
    }

    double memGb = double.NaN;
    try
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
        memGb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024;
    }
    catch (IOException)
    {
    }

    return $"{Environment.ProcessorCount} CPUs ({model}), {memGb:F1} GiB RAM";
}
