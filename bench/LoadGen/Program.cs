// LoadGen: a small closed-loop HTTP/1.1 load generator (wrk's model: C keep-alive connections, one request in
// flight on each) published with NativeAOT, so bench/worker-scaling.sh runs on a bare Linux box. See
// Options.Usage for the command line; LoadRunner for what is measured and how.

using System.Net;
using System.Net.Sockets;

namespace LoadGen;

internal static class Program
{
    /// <summary>Slack past warm-up + duration after which the process exits no matter what.</summary>
    private static readonly TimeSpan HardDeadlineSlack = TimeSpan.FromSeconds(5);

    private static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (UsageException ex)
        {
            if (ex.Detail is null)
            {
                Console.Out.WriteLine(Options.Usage);
                return 0;
            }

            Console.Error.WriteLine($"LoadGen: {ex.Detail}");
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }

        // Socket continuations run on the event (epoll) threads themselves, as in wrk: no thread-pool hop per
        // response, and exactly options.Threads threads do the work. Both are read by System.Net.Sockets from
        // the environment when the first socket is created, which has not happened yet; a value set by the
        // user wins.
        SetDefaultEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        SetDefaultEnvironment("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var budget = options.Probe
            ? TimeSpan.FromSeconds(options.TimeoutSeconds) + HardDeadlineSlack
            : TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds) + HardDeadlineSlack;
        StartHardDeadline(budget);

        EndPoint endPoint;
        try
        {
            endPoint = Resolve(options.Url);
        }
        catch (SocketException ex)
        {
            Console.Error.WriteLine($"LoadGen: cannot resolve {options.Url.Host}: {ex.Message}");
            return 1;
        }

        return options.Probe
            ? Probe.RunAsync(options, endPoint).GetAwaiter().GetResult()
            : new LoadRunner(options, endPoint).Run();
    }

    private static void SetDefaultEnvironment(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    private static EndPoint Resolve(Uri url)
    {
        int port = url.Port;
        if (IPAddress.TryParse(url.DnsSafeHost, out var ip))
        {
            return new IPEndPoint(ip, port);
        }

        var addresses = Dns.GetHostAddresses(url.DnsSafeHost);
        var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? (addresses.Length > 0 ? addresses[0] : throw new SocketException((int)SocketError.HostNotFound));
        return new IPEndPoint(chosen, port);
    }

    /// <summary>Whatever happens (a stuck DNS lookup, a runtime bug), the process ends shortly after its budget.</summary>
    private static void StartHardDeadline(TimeSpan budget)
    {
        var thread = new Thread(() =>
        {
            Thread.Sleep(budget);
            Console.Error.WriteLine($"LoadGen: still running {budget.TotalSeconds:F0} s after start; exiting (hard deadline)");
            Environment.Exit(3);
        })
        {
            IsBackground = true,
            Name = "LoadGen deadline",
        };
        thread.Start();
    }
}
