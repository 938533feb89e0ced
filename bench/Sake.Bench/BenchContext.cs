using System.Diagnostics;
using System.Globalization;

namespace Sake.Bench;

/// <summary>Settings of this run (quick or full), paths, and the log.</summary>
internal sealed class BenchContext
{
    public BenchContext(string root, bool quick, bool aotInQuick)
    {
        Root = root;
        Quick = quick;
        UseAot = !quick || aotInQuick;
        Rounds = Env("ROUNDS", quick ? 1 : 3);
        Duration = Env("DURATION", quick ? 1.0 : 5.0);
        Warmup = Env("WARMUP", quick ? 0.5 : 2.0);
        Artifacts = Path.Combine(root, "artifacts", "bench");
        Logs = Path.Combine(Artifacts, "logs");
        Directory.CreateDirectory(Logs);
    }

    public string Root { get; }

    public bool Quick { get; }

    /// <summary>False in quick mode (unless --aot): the "AOT" slots use the JIT builds, which build in seconds.</summary>
    public bool UseAot { get; }

    public int Rounds { get; }

    public double Duration { get; }

    public double Warmup { get; }

    public string Artifacts { get; }

    public string Logs { get; }

    public int Cpus { get; } = Environment.ProcessorCount;

    /// <summary>Pinned runs: server on CPU 0, load generator on CPU 1 (needs 2 CPUs).</summary>
    public bool CanPin => Cpus >= 2 && Proc.Exists("taskset");

    public string Flavor => UseAot ? "AOT" : "JIT";

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    public string Relative(string path) => Path.GetRelativePath(Root, path);

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : fallback;

    private static double Env(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 ? v : fallback;

    public static string F(double v, string format = "F2") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    public static string S(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static Stopwatch Clock() => Stopwatch.StartNew();
}
