using System.Globalization;

namespace LoadGen;

/// <summary>Command line of LoadGen; <see cref="Parse"/> throws <see cref="UsageException"/> on bad input.</summary>
internal sealed class Options
{
    public const string Usage =
        """
        usage: LoadGen <url> -c <connections> -d <seconds> [-w <warmup seconds>] [-r <requests/s>] [-t <threads>] [--timeout <seconds>] [--pid <server pid>] [-v]
               LoadGen --probe <url> [--timeout <seconds>]

          load:   keeps <connections> HTTP/1.1 keep-alive connections busy (one request in flight on each) for the
                  warm-up, then measures for <seconds>, and prints one line:
                  requests=<n> rps=<x> errors=<e> non2xx=<m> p50_ms=<..> p99_ms=<..> [server_cpu_cores=<..>]
                  ok_p50_ms=<..> ok_p99_ms=<..>   (latency of the 2xx responses only)
                  Exit 0 when at least one request completed in the measured window, else 1.
          probe:  one GET; prints the response body on stdout; exit 0 on a 2xx answer, else 1.

          -r        paced load: at most this many requests per second in all (each connection sends its share
                    at a steady interval; a late response delays that connection's next request, never bunches
                    them). Default: unpaced, as fast as responses come back
          -t        event threads (default: CPUs / 4, between 1 and 8)
          --timeout seconds a connect or a request may take before it counts as an error (default 5; probe 2)
          --pid     also report the CPU time that process used during the measured window, in cores
          -v        error breakdown and thread count on stderr even without errors
        """;

    public Uri Url { get; private set; } = null!;

    public bool Probe { get; private set; }

    public int Connections { get; private set; } = 100;

    public double DurationSeconds { get; private set; } = 10;

    public double WarmupSeconds { get; private set; }

    /// <summary>Requests per second in all when paced (-r); 0 = unpaced closed loop.</summary>
    public double Rate { get; private set; }

    public int Threads { get; private set; } = Math.Clamp(Environment.ProcessorCount / 4, 1, 8);

    public double TimeoutSeconds { get; private set; } = double.NaN;

    public int? Pid { get; private set; }

    public bool Verbose { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        string? url = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "-c": o.Connections = ParseInt(a, Next(args, ref i), 1, 100_000); break;
                case "-d": o.DurationSeconds = ParseSeconds(a, Next(args, ref i), allowZero: false); break;
                case "-w": o.WarmupSeconds = ParseSeconds(a, Next(args, ref i), allowZero: true); break;
                case "-r": o.Rate = ParseRate(a, Next(args, ref i)); break;
                case "-t": o.Threads = ParseInt(a, Next(args, ref i), 1, 256); break;
                case "--timeout": o.TimeoutSeconds = ParseSeconds(a, Next(args, ref i), allowZero: false); break;
                case "--pid": o.Pid = ParseInt(a, Next(args, ref i), 1, int.MaxValue); break;
                case "--probe": o.Probe = true; break;
                case "-v": o.Verbose = true; break;
                case "-h" or "--help": throw new UsageException(null);
                default:
                    if (a.StartsWith('-') || url is not null)
                    {
                        throw new UsageException($"unexpected argument '{a}'");
                    }

                    url = a;
                    break;
            }
        }

        if (url is null)
        {
            throw new UsageException("missing <url>");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Host.Length == 0)
        {
            throw new UsageException($"'{url}' is not an http:// URL");
        }

        o.Url = uri;
        if (double.IsNaN(o.TimeoutSeconds))
        {
            o.TimeoutSeconds = o.Probe ? 2 : 5;
        }

        return o;
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException($"{args[i]} needs a value");
        }

        return args[++i];
    }

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            throw new UsageException($"{name} must be an integer between {min} and {max}, not '{value}'");
        }

        return n;
    }

    private static double ParseRate(string name, string value)
    {
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double r) || !double.IsFinite(r) || r <= 0 || r > 10_000_000)
        {
            throw new UsageException($"{name} must be a number of requests per second above 0, not '{value}'");
        }

        return r;
    }

    /// <summary>Seconds as "10", "2.5" or "10s".</summary>
    private static double ParseSeconds(string name, string value, bool allowZero)
    {
        string v = value.EndsWith('s') ? value[..^1] : value;
        if (!double.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s)
            || !double.IsFinite(s) || s > 86_400 || s < 0 || (!allowZero && s == 0))
        {
            throw new UsageException($"{name} must be a number of seconds{(allowZero ? "" : " above 0")}, not '{value}'");
        }

        return s;
    }
}

/// <summary>A command-line error; <see cref="Detail"/> (null for --help) is printed before the usage text.</summary>
internal sealed class UsageException(string? detail) : Exception(detail ?? "usage requested")
{
    public string? Detail { get; } = detail;
}
