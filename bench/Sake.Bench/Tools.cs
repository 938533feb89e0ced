using System.Globalization;
using System.Text.RegularExpressions;

namespace Sake.Bench;

/// <summary>The load generators: wrk, h2load (Debian packages, installed when missing and possible) and bench/LoadGen.</summary>
internal static partial class Tools
{
    private static readonly Dictionary<string, bool> Available = new();

    /// <summary>True when the tool is on PATH, installing its Debian package first when missing and apt-get is usable as root.</summary>
    public static bool Ensure(string tool, string package)
    {
        if (Available.TryGetValue(tool, out bool ok))
        {
            return ok;
        }

        if (!Proc.Exists(tool) && Proc.Exists("apt-get") && Environment.UserName == "root"
            && Environment.GetEnvironmentVariable("SAKE_BENCH_NO_INSTALL") != "1")
        {
            BenchContext.Log($"installing {package} (apt-get)");
            var (code, _, err) = Proc.Run("apt-get", ["install", "-y", "-qq", package], TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                Proc.Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
                (code, _, err) = Proc.Run("apt-get", ["install", "-y", "-qq", package], TimeSpan.FromMinutes(5));
            }

            if (code != 0)
            {
                BenchContext.Log($"apt-get install {package} failed: {err.Trim()}");
            }
        }

        ok = Proc.Exists(tool);
        Available[tool] = ok;
        return ok;
    }

    public sealed record WrkResult(double Rps, long Requests, long Errors);

    /// <summary>wrk -t1 -cC -dD URL, optionally pinned; the command line goes to <paramref name="commands"/>.</summary>
    public static WrkResult Wrk(string url, int connections, double seconds, string? cpus, List<string>? commands = null)
    {
        var args = new List<string>();
        string file = "wrk";
        if (cpus is not null)
        {
            file = "taskset";
            args.AddRange(["-c", cpus, "wrk"]);
        }

        args.AddRange(["-t1", $"-c{connections}", $"-d{Math.Max(1, (int)Math.Round(seconds))}s", url]);
        Note(commands, Proc.Show(file, args));
        var (code, o, e) = Proc.Run(file, args, TimeSpan.FromSeconds(seconds + 30));
        if (code != 0)
        {
            throw new InvalidOperationException($"wrk failed ({code}): {e}");
        }

        double rps = double.Parse(Match(WrkRps(), o, "Requests/sec"), CultureInfo.InvariantCulture);
        long requests = long.Parse(Match(WrkTotal(), o, "requests in"), CultureInfo.InvariantCulture);
        long errors = 0;
        var non2xx = WrkNon2xx().Match(o);
        if (non2xx.Success)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var sock = WrkSocketErrors().Match(o);
        if (sock.Success)
        {
            for (int i = 1; i <= 4; i++)
            {
                errors += long.Parse(sock.Groups[i].Value, CultureInfo.InvariantCulture);
            }
        }

        return new WrkResult(rps, requests, errors);
    }

    public sealed record H2Result(double Rps, long Succeeded, long Failed);

    /// <summary>h2load --h1 (HTTP/1.1 pipelining, <paramref name="depth"/> requests in flight per connection).</summary>
    public static H2Result H2load(string url, int connections, int depth, double seconds, double warmup, string? cpus, List<string>? commands = null)
    {
        var args = new List<string>();
        string file = "h2load";
        if (cpus is not null)
        {
            file = "taskset";
            args.AddRange(["-c", cpus, "h2load"]);
        }

        // h2load takes whole seconds (or a unit suffix); fractions are rejected.
        args.AddRange(["--h1", "-t1", $"-c{connections}", $"-m{depth}", "-D", S(Math.Max(1, Math.Ceiling(seconds))), $"--warm-up-time={S(Math.Max(1, Math.Ceiling(warmup)))}", url]);
        Note(commands, Proc.Show(file, args));
        var (code, o, e) = Proc.Run(file, args, TimeSpan.FromSeconds(seconds + warmup + 30));
        if (code != 0)
        {
            throw new InvalidOperationException($"h2load failed ({code}): {e}{o}");
        }

        double rps = double.Parse(Match(H2Rps(), o, "req/s"), CultureInfo.InvariantCulture);
        var req = H2Requests().Match(o);
        if (!req.Success)
        {
            throw new FormatException($"cannot parse h2load output:\n{o}");
        }

        long succeeded = long.Parse(req.Groups[1].Value, CultureInfo.InvariantCulture);
        long failed = long.Parse(req.Groups[2].Value, CultureInfo.InvariantCulture) + long.Parse(req.Groups[3].Value, CultureInfo.InvariantCulture);
        var non2xx = H2Status().Match(o);
        if (non2xx.Success)
        {
            failed += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) + long.Parse(non2xx.Groups[2].Value, CultureInfo.InvariantCulture) + long.Parse(non2xx.Groups[3].Value, CultureInfo.InvariantCulture);
        }

        return new H2Result(rps, succeeded, failed);
    }

    /// <summary>bench/LoadGen: returns its key=value line as numbers (NaN for "nan").</summary>
    public static Dictionary<string, double> LoadGen(string loadGen, string url, int connections, double seconds, double warmup, double timeout, int? pid, List<string>? commands = null, BenchContext? ctx = null)
    {
        var args = new List<string> { url, "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", S(seconds), "-w", S(warmup), "--timeout", S(timeout) };
        if (pid is int p)
        {
            args.AddRange(["--pid", p.ToString(CultureInfo.InvariantCulture)]);
        }

        Note(commands, Proc.Show(ctx is null ? loadGen : ctx.Relative(loadGen), args.Select(a => a == pid?.ToString(CultureInfo.InvariantCulture) ? "SERVER_PID" : a)));
        // The soft file limit is raised to the hard one for 10,000 connections (sh's ulimit, then exec).
        var shArgs = new List<string> { "-c", "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$@\"", "sh", loadGen };
        shArgs.AddRange(args);
        var (code, o, e) = Proc.Run("/bin/sh", shArgs, TimeSpan.FromSeconds(seconds + warmup + 30));
        var result = new Dictionary<string, double>();
        foreach (var kv in o.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[kv[..eq]] = double.TryParse(kv[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
            }
        }

        if (!result.ContainsKey("rps"))
        {
            throw new InvalidOperationException($"LoadGen produced no numbers (exit {code}): {e}{o}");
        }

        if (e.Length > 0)
        {
            BenchContext.Log("LoadGen: " + e.Trim().Split('\n')[0]);
        }

        return result;
    }

    private static void Note(List<string>? commands, string command)
    {
        if (commands is not null && !commands.Contains(command))
        {
            commands.Add(command);
        }
    }

    private static string S(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Match(Regex regex, string text, string what)
    {
        var m = regex.Match(text);
        return m.Success ? m.Groups[1].Value : throw new FormatException($"cannot find '{what}' in:\n{text}");
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex WrkRps();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex WrkTotal();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex WrkNon2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex WrkSocketErrors();

    [GeneratedRegex(@"finished in [0-9.]+\w*, ([0-9.]+) req/s")]
    private static partial Regex H2Rps();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored")]
    private static partial Regex H2Requests();

    [GeneratedRegex(@"status codes: \d+ 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx")]
    private static partial Regex H2Status();
}
