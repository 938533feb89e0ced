namespace Sake.Bench;

/// <summary>
/// Builds the servers and tools. NativeAOT: <c>dotnet publish -p:PublishAot=true</c> into artifacts/bench/bin/aot.
/// JIT: the same project's <c>dotnet build</c> output (framework-dependent IL, run by the JIT) with the same global
/// properties, so building one flavor never invalidates the other.
/// </summary>
internal static class Builds
{
    private static readonly Dictionary<string, string> Projects = new()
    {
        ["HelloWorld"] = "samples/HelloWorld/HelloWorld.csproj",
        ["KestrelHelloWorld"] = "bench/KestrelHelloWorld/KestrelHelloWorld.csproj",
        ["CpuBench"] = "bench/CpuBench/CpuBench.csproj",
        ["KestrelCpu"] = "bench/KestrelCpu/KestrelCpu.csproj",
        ["LoadGen"] = "bench/LoadGen/LoadGen.csproj",
    };

    private static readonly Dictionary<string, string> Done = new();

    public static List<string> Commands { get; } = new();

    /// <summary>The "AOT" slot: NativeAOT, or the JIT build in quick mode (unless --aot).</summary>
    public static string Aot(BenchContext ctx, string name) => ctx.UseAot ? Publish(ctx, name, aot: true) : Jit(ctx, name);

    public static string Jit(BenchContext ctx, string name) => Publish(ctx, name, aot: false);

    private static string Publish(BenchContext ctx, string name, bool aot)
    {
        string flavor = aot ? "aot" : "jit";
        string key = $"{flavor}/{name}";
        if (Done.TryGetValue(key, out var done))
        {
            return done;
        }

        string dest = aot
            ? Path.Combine(ctx.Artifacts, "bin", flavor, name)
            : Path.Combine(ctx.Root, Path.GetDirectoryName(Projects[name])!, "bin", "Release", "net10.0", "linux-x64");
        string[] args = aot
            ? ["publish", Projects[name], "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", ctx.Relative(dest), "-nologo"]
            : ["build", Projects[name], "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-nologo"];
        BenchContext.Log($"{args[0]}ing {name} ({flavor})");
        var sw = BenchContext.Clock();
        var (code, o, e) = Proc.Run("dotnet", args, TimeSpan.FromMinutes(10), workDir: ctx.Root);
        File.WriteAllText(Path.Combine(ctx.Logs, $"publish-{flavor}-{name}.log"), o + e);
        string exe = Path.Combine(dest, name);
        if (code != 0 || !File.Exists(exe))
        {
            throw new InvalidOperationException($"publishing {name} ({flavor}) failed; see {ctx.Relative(ctx.Logs)}/publish-{flavor}-{name}.log\n{Tail(o + e)}");
        }

        BenchContext.Log($"{args[0]} of {name} ({flavor}) took {sw.Elapsed.TotalSeconds:F0} s");
        Commands.Add("dotnet " + string.Join(' ', args));
        Done[key] = exe;
        return exe;
    }

    /// <summary>Everything the selected scenarios use, NativeAOT first, then JIT (one at a time: the machine may be small).</summary>
    public static void All(BenchContext ctx, bool jitHelloWorld)
    {
        foreach (var name in Projects.Keys)
        {
            Aot(ctx, name);
        }

        if (jitHelloWorld)
        {
            Jit(ctx, "HelloWorld");
            Jit(ctx, "KestrelHelloWorld");
        }
    }

    private static string Tail(string s) => string.Join('\n', s.Split('\n').TakeLast(20));
}
