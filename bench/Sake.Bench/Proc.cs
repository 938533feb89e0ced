using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Sake.Bench;

/// <summary>Running tools and reading /proc.</summary>
internal static class Proc
{
    /// <summary>Runs a command to completion; returns (exit code, stdout, stderr). A timeout kills it (exit code 124).</summary>
    public static (int Code, string Out, string Err) Run(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null, string? workDir = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (workDir is not null)
        {
            psi.WorkingDirectory = workDir;
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            p.WaitForExit();
            return (124, stdout.Result, stderr.Result + $"\n(killed after {timeout.TotalSeconds:F0} s)");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>Quotes a command line for the doc.</summary>
    public static string Show(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var parts = new List<string>();
        if (env is { Count: > 0 })
        {
            parts.AddRange(env.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        parts.Add(file);
        parts.AddRange(args.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains('*', StringComparison.Ordinal) ? $"'{a}'" : a));
        return string.Join(' ', parts);
    }

    private static readonly double ClockTicks = ReadClockTicks();

    private static double ReadClockTicks()
    {
        try
        {
            var (code, o, _) = Run("getconf", ["CLK_TCK"], TimeSpan.FromSeconds(5));
            if (code == 0 && double.TryParse(o.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out double hz) && hz > 0)
            {
                return hz;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        return 100;
    }

    /// <summary>utime + stime of a process in seconds (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(f[11], CultureInfo.InvariantCulture) + double.Parse(f[12], CultureInfo.InvariantCulture)) / ClockTicks;
    }

    /// <summary>VmRSS in KiB (NaN when the process is gone).</summary>
    public static double RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }

    /// <summary>Open sockets of a process (links in /proc/PID/fd that name a socket).</summary>
    public static int Sockets(int pid)
    {
        int n = 0;
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                    {
                        n++;
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return n;
    }

    /// <summary>Threads of a process whose name (comm) starts with <paramref name="prefix"/>.</summary>
    public static int Threads(int pid, string prefix)
    {
        int n = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal))
                {
                    n++;
                }
            }
            catch (IOException)
            {
            }
        }

        return n;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The hard RLIMIT_NOFILE (what a child can raise its own limit to).</summary>
    public static long HardFileLimit()
    {
        var (code, o, _) = Run("/bin/sh", ["-c", "ulimit -Hn"], TimeSpan.FromSeconds(5));
        return code == 0 && long.TryParse(o.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : o.Trim() == "unlimited" ? long.MaxValue : -1;
    }

    public static void Terminate(int pid) => _ = SysKill(pid, 15);

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);
}
