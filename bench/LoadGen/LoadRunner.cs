using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LoadGen;

/// <summary>
/// Closed-loop load: C connections, each with exactly one request in flight, re-sent as soon as its response
/// has been read completely. A response counts when it completes inside the measured window [t0, t1); its
/// latency is send-to-last-byte. Errors inside the window are counted and the connection is re-opened.
/// A watchdog closes any connect or request older than the timeout (counted as a timeout). The main thread
/// only sleeps until t1, reads the counters and returns, so the run cannot outlast the window by more than
/// the short drain below, whatever the server does.
/// </summary>
internal sealed class LoadRunner
{
    private const int BufferSize = 16 * 1024;
    private const int MaxBufferSize = 1024 * 1024;
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(1);

    private readonly Options _options;
    private readonly EndPoint _endPoint;
    private readonly byte[] _request;
    private readonly Connection[] _connections;
    private readonly long _timeoutTicks;
    private readonly long _intervalTicks;
    private long _t0;
    private long _t1;
    private volatile bool _stopping;

    public LoadRunner(Options options, EndPoint endPoint)
    {
        _options = options;
        _endPoint = endPoint;
        _request = BuildRequest(options.Url);
        _connections = new Connection[options.Connections];
        _timeoutTicks = (long)(options.TimeoutSeconds * Stopwatch.Frequency);
        _intervalTicks = options.Rate > 0 ? (long)(options.Connections / options.Rate * Stopwatch.Frequency) : 0;
    }

    /// <summary>GET path HTTP/1.1 with the Host header: what wrk sends, minus nothing.</summary>
    public static byte[] BuildRequest(Uri url) =>
        Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n");

    /// <summary>Runs the warm-up and the measured window; returns the process exit code.</summary>
    public int Run()
    {
        long start = Stopwatch.GetTimestamp();
        _t0 = start + (long)(_options.WarmupSeconds * Stopwatch.Frequency);
        _t1 = _t0 + (long)(_options.DurationSeconds * Stopwatch.Frequency);

        var tasks = new Task[_connections.Length];
        for (int i = 0; i < _connections.Length; i++)
        {
            var c = _connections[i] = new Connection();
            tasks[i] = RunConnectionAsync(c);
        }

        using var watchdog = new Timer(_ => CheckTimeouts(), null, 50, 50);

        var serverCpu = new ServerCpu(_options.Pid);
        SleepUntil(_t0);
        serverCpu.Start();
        SleepUntil(_t1);
        serverCpu.Stop();

        _stopping = true;
        foreach (var c in _connections)
        {
            c.Socket?.Dispose();
        }

        try
        {
            Task.WaitAll(tasks, DrainWait);
        }
        catch (AggregateException)
        {
            // Connection loops catch their own errors; nothing to report here.
        }

        var stats = Stats.Merge();
        double seconds = (double)(_t1 - _t0) / Stopwatch.Frequency;

        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"requests={stats.Requests} rps={stats.Requests / seconds:F1} errors={stats.Errors} non2xx={stats.Non2xx}");
        line.Append(CultureInfo.InvariantCulture, $" p50_ms={Ms(stats.PercentileMs(0.50))} p99_ms={Ms(stats.PercentileMs(0.99))}");
        if (serverCpu.Cores is double cores)
        {
            line.Append(CultureInfo.InvariantCulture, $" server_cpu_cores={cores:F2}");
        }

        line.Append(CultureInfo.InvariantCulture, $" ok_p50_ms={Ms(stats.OkPercentileMs(0.50))} ok_p99_ms={Ms(stats.OkPercentileMs(0.99))}");

        Console.Out.WriteLine(line.ToString());
        Console.Out.Flush();

        if (stats.Errors > 0 || _options.Verbose)
        {
            Console.Error.WriteLine(
                $"loadgen: errors in the measured window: connect={stats.ConnectErrors} read/write={stats.ReadWriteErrors} " +
                $"timeout={stats.Timeouts} protocol={stats.ProtocolErrors} closed-mid-response={stats.PrematureCloses}; " +
                $"keep-alive closed by server (re-opened, not errors)={stats.Reconnects}; threads={ThreadCount()}");
        }

        return stats.Requests > 0 ? 0 : 1;
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "nan" : ms.ToString("F3", CultureInfo.InvariantCulture);

    private static void SleepUntil(long timestamp)
    {
        while (true)
        {
            long left = timestamp - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            Thread.Sleep(TimeSpan.FromSeconds(Math.Min((double)left / Stopwatch.Frequency, 0.25)));
        }
    }

    private static int ThreadCount()
    {
        try
        {
            return Directory.GetDirectories("/proc/self/task").Length;
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private bool InWindow(long now) => now >= _t0 && now < _t1;

    private async Task RunConnectionAsync(Connection c)
    {
        var buffer = new byte[BufferSize];
        var parser = new ResponseParser();

        // Paced (-r): this connection's next send time; connections start spread over one interval.
        long due = _intervalTicks > 0 ? Stopwatch.GetTimestamp() + Random.Shared.NextInt64(_intervalTicks) : 0;
        while (!_stopping)
        {
            var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            c.Socket = socket;
            ErrorKind failure = ErrorKind.None;
            try
            {
                failure = ErrorKind.Connect;
                c.Begin();
                await socket.ConnectAsync(_endPoint).ConfigureAwait(false);
                if (!c.End())
                {
                    throw new TimeoutException();
                }

                int start = 0, end = 0;
                while (!_stopping)
                {
                    failure = ErrorKind.ReadWrite;
                    if (_intervalTicks > 0)
                    {
                        long wait = due - Stopwatch.GetTimestamp();
                        if (wait > 0)
                        {
                            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency)).ConfigureAwait(false);
                        }

                        // Behind schedule by more than an interval (a slow response): restart from now, no burst.
                        long now0 = Stopwatch.GetTimestamp();
                        due = Math.Max(due, now0 - _intervalTicks) + _intervalTicks;
                    }

                    long sent = c.Begin();
                    for (int off = 0; off < _request.Length;)
                    {
                        off += await socket.SendAsync(_request.AsMemory(off), SocketFlags.None).ConfigureAwait(false);
                    }

                    parser.Reset();
                    while (!parser.Advance(buffer, ref start, end))
                    {
                        if (start == end)
                        {
                            start = end = 0;
                        }
                        else if (end == buffer.Length)
                        {
                            if (start > 0)
                            {
                                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                                end -= start;
                                start = 0;
                            }
                            else if (buffer.Length < MaxBufferSize)
                            {
                                Array.Resize(ref buffer, buffer.Length * 2);
                            }
                            else
                            {
                                failure = ErrorKind.Protocol;
                                throw new ProtocolException("response head or chunk line does not fit in 1 MiB");
                            }
                        }

                        int n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
                        if (n == 0)
                        {
                            if (parser.EndsAtClose)
                            {
                                break;
                            }

                            failure = ErrorKind.Closed;
                            throw new ProtocolException("connection closed before the response was complete");
                        }

                        end += n;
                    }

                    long now = Stopwatch.GetTimestamp();
                    if (!c.End())
                    {
                        throw new TimeoutException();
                    }

                    if (InWindow(now))
                    {
                        var stats = Stats.Current;
                        stats.Requests++;
                        bool ok = parser.Status is >= 200 and <= 299;
                        if (!ok)
                        {
                            stats.Non2xx++;
                        }

                        stats.RecordLatency((now - sent) * 1_000_000 / Stopwatch.Frequency, ok);
                    }

                    if (start != end)
                    {
                        failure = ErrorKind.Protocol;
                        throw new ProtocolException("bytes after the response (one request was in flight)");
                    }

                    start = end = 0;
                    if (!parser.KeepAlive)
                    {
                        if (InWindow(now))
                        {
                            Stats.Current.Reconnects++;
                        }

                        break;
                    }
                }
            }
            catch (Exception ex) when (!_stopping)
            {
                var kind = c.TimedOut || ex is TimeoutException ? ErrorKind.Timeout : ex is ProtocolException && failure == ErrorKind.ReadWrite ? ErrorKind.Protocol : failure;
                Count(kind, ex);
                if (kind == ErrorKind.Connect)
                {
                    // Do not spin on a refused port: a short pause, then retry.
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // Stopping: sockets are being closed under us on purpose.
            }
            finally
            {
                c.End();
                socket.Dispose();
            }
        }
    }

    private void Count(ErrorKind kind, Exception ex)
    {
        long now = Stopwatch.GetTimestamp();
        if (_options.Verbose)
        {
            Console.Error.WriteLine($"loadgen: {kind}: {ex.GetType().Name}: {ex.Message}");
        }

        if (!InWindow(now))
        {
            return;
        }

        var s = Stats.Current;
        switch (kind)
        {
            case ErrorKind.Connect: s.ConnectErrors++; break;
            case ErrorKind.Timeout: s.Timeouts++; break;
            case ErrorKind.Protocol: s.ProtocolErrors++; break;
            case ErrorKind.Closed: s.PrematureCloses++; break;
            default: s.ReadWriteErrors++; break;
        }
    }

    private void CheckTimeouts()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (var c in _connections)
        {
            c?.ExpireIfOlderThan(now, _timeoutTicks);
        }
    }

    private enum ErrorKind
    {
        None,
        Connect,
        ReadWrite,
        Protocol,
        Closed,
        Timeout,
    }

    /// <summary>One client connection's state shared with the watchdog.</summary>
    private sealed class Connection
    {
        private const long Expired = -1;
        private long _opStart;

        public volatile Socket? Socket;

        private volatile bool _timedOut;

        /// <summary>True when the watchdog closed the socket of the current operation.</summary>
        public bool TimedOut => _timedOut;

        /// <summary>Starts timing a connect or a request; returns the start timestamp.</summary>
        public long Begin()
        {
            long now = Stopwatch.GetTimestamp();
            _timedOut = false;
            Volatile.Write(ref _opStart, now);
            return now;
        }

        /// <summary>Stops timing; false when the watchdog expired the operation first.</summary>
        public bool End() => Interlocked.Exchange(ref _opStart, 0) != Expired;

        /// <summary>Watchdog: closes the socket of an operation that has run longer than the timeout.</summary>
        public void ExpireIfOlderThan(long now, long timeoutTicks)
        {
            long started = Volatile.Read(ref _opStart);
            if (started > 0 && now - started > timeoutTicks
                && Interlocked.CompareExchange(ref _opStart, Expired, started) == started)
            {
                _timedOut = true;
                Socket?.Dispose();
            }
        }
    }
}
