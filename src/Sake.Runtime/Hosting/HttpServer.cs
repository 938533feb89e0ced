using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sake.Diagnostics;
using Sake.Http;
using Sake.Http.Protocol;
using Sake.Loop;
using Sake.Routing;
using Sake.Workers;

namespace Sake.Hosting;

/// <summary>
/// The running server: listener, accept thread, event loop, route table and the list of open connections.
/// Built once by <see cref="SakeApp"/> when it starts; everything after that is frozen.
/// </summary>
internal sealed class HttpServer
{
    /// <summary>How long a closing connection keeps reading (discarding) so its last response is not lost to a RST.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Channel<Socket> _incoming = Channel.CreateUnbounded<Socket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Connection> _connections = new();
    private readonly List<Connection> _timedOut = new();
    private readonly SemaphoreSlim? _connectionSlots;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SendOrPostCallback _drainIncoming;
    private readonly SendOrPostCallback _evictIdle;
    private Socket? _listener;
    private volatile bool _stopping;
    private int _open;

    public HttpServer(Config config)
    {
        Config = config;
        Logger = config.LoggerFactory?.CreateLogger("Sake") ?? NullLogger.Instance;
        Log = new ServerLog(Logger);
        Loop = new EventLoop(HeartbeatInterval(config), Heartbeat);
        if (config.ConnectionLimitMode == ConnectionLimitMode.Queue)
        {
            _connectionSlots = new SemaphoreSlim(config.MaxConnections, config.MaxConnections);
        }

        _drainIncoming = _ => DrainIncoming();
        _evictIdle = _ => EvictIdle();
        Pool = config.EnableWorkerPool ? new WorkerPool(this, config) : null;
        Buffers = new LoopBufferPool(Loop, maxFree: 4096);
        BlockedLoop = config.BlockedLoopThreshold > TimeSpan.Zero ? new BlockedLoopDetector(Loop, Log, config.BlockedLoopThreshold) : null;
        Metrics = new SakeMetrics(this);
    }

    /// <summary>This server's instruments (meter "Sake"), disposed when it stops.</summary>
    public SakeMetrics Metrics { get; }

    /// <summary>The blocked-loop watchdog, or null when <see cref="Config.BlockedLoopThreshold"/> is zero.</summary>
    public BlockedLoopDetector? BlockedLoop { get; }

    /// <summary>Sets the frozen route table and chains (built by the app with this server's pool).</summary>
    public void Initialize(Router<Endpoint> router, RequestHandler[] fallbackChain, RequestHandler[] asteriskChain)
    {
        Router = router;
        FallbackChain = fallbackChain;
        AsteriskChain = asteriskChain;
    }

    public Config Config { get; }

    public Router<Endpoint> Router { get; private set; } = new();

    public RequestHandler[] FallbackChain { get; private set; } = [];

    public RequestHandler[] AsteriskChain { get; private set; } = [];

    /// <summary>Small I/O buffers for connections (loop thread); up to 4,096 free ones (16 MiB) are kept.</summary>
    public LoopBufferPool Buffers { get; }

    /// <summary>The worker pool, or null when <see cref="Config.EnableWorkerPool"/> is false.</summary>
    public WorkerPool? Pool { get; }

    /// <summary>FR-014: the pool's size, 0 when disabled.</summary>
    public int WorkerPoolSize => Pool?.Size ?? 0;

    public EventLoop Loop { get; }

    public ServerLog Log { get; }

    public ILogger Logger { get; }

    public DateCache Date { get; } = new();

    /// <summary>Set on the loop when shutdown begins; connections answer with <c>Connection: close</c> from then on.</summary>
    public bool Draining { get; private set; }

    public IPEndPoint? LocalEndPoint { get; private set; }

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>
    /// Connections the kernel has completed on the listening socket that the accept thread has not taken yet (the
    /// backlog that fills in <see cref="ConnectionLimitMode.Queue"/> at the limit), or -1 when not listening. Linux
    /// reports a listening socket's accept-queue length in TCP_INFO's <c>tcpi_unacked</c>.
    /// </summary>
    public int QueuedConnections()
    {
        var listener = _listener;
        if (listener is null || _stopping)
        {
            return -1;
        }

        // Called from a metrics collector's thread: the reference keeps StopAsync from closing the fd (and the kernel
        // from reusing its number for another socket) while it is read.
        var handle = listener.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Libc.AcceptQueueLength((int)handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>send(2) calls, counted on the loop thread only.</summary>
    public long SendCalls;

    public long Ticks(TimeSpan span) => (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    /// <summary>
    /// Timeouts are checked by the heartbeat, so its period bounds their precision: a quarter of the shortest
    /// timeout, between 10 ms and 1 s (Kestrel's heartbeat is 1 s).
    /// </summary>
    private static TimeSpan HeartbeatInterval(Config c)
    {
        var shortest = TimeSpan.FromSeconds(4);
        foreach (var t in new[] { c.RequestTimeout, c.KeepAliveTimeout, c.RequestHeadersTimeout, c.MinRequestBodyDataRateGracePeriod, c.MinResponseDataRateGracePeriod })
        {
            if (t > TimeSpan.Zero && t < shortest)
            {
                shortest = t;
            }
        }

        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
    }

    public void Bind(IPEndPoint endPoint)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR alone, so a restart can bind while old connections sit in TIME_WAIT. Not .NET's
            // ReuseAddress option: on Linux it also sets SO_REUSEPORT, which lets a second server bind the same port
            // and silently take half the connections.
            EnableReuseAddress((int)listener.Handle);
            listener.Bind(endPoint);
            listener.Listen(Config.ListenBacklog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        Pool?.Start();
        Loop.Start();
        BlockedLoop?.Start();
    }

    private static unsafe void EnableReuseAddress(int fd)
    {
        int one = 1;
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, &one, sizeof(int)) != 0)
        {
            throw new SocketException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Accepts until the server stops. Runs on the thread that called Run (or a dedicated accept thread).</summary>
    public void AcceptLoop()
    {
        var listener = _listener ?? throw new InvalidOperationException("Bind first.");
        while (!_stopping)
        {
            if (_connectionSlots is not null && !WaitForSlot())
            {
                break;
            }

            Socket socket;
            try
            {
                socket = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _connectionSlots?.Release();
                if (_stopping)
                {
                    break;
                }

                // EMFILE and friends: back off briefly instead of spinning.
                Thread.Sleep(10);
                continue;
            }

            try
            {
                socket.Blocking = false;
                socket.NoDelay = true;
            }
            catch (SocketException)
            {
                socket.Dispose();
                _connectionSlots?.Release();
                continue;
            }

            Interlocked.Increment(ref _open);
            _incoming.Writer.TryWrite(socket);
            Loop.Post(_drainIncoming, null);
        }
    }

    /// <summary>Queue mode: wait (connections pile up in the kernel backlog) and ask the loop to close an idle connection.</summary>
    private bool WaitForSlot()
    {
        if (_connectionSlots!.Wait(0))
        {
            return true;
        }

        while (!_stopping)
        {
            Loop.Post(_evictIdle, null);
            if (_connectionSlots.Wait(50))
            {
                return true;
            }
        }

        return false;
    }

    private void DrainIncoming()
    {
        while (_incoming.Reader.TryRead(out var socket))
        {
            if (Draining)
            {
                socket.Dispose();
                ReleaseSlot();
                continue;
            }

            bool reject = false;
            if (Config.ConnectionLimitMode == ConnectionLimitMode.Reject && _connections.Count >= Config.MaxConnections)
            {
                reject = !EvictIdle();
                if (reject)
                {
                    Metrics.ConnectionRejected();
                }
            }

            var connection = new Connection(this, socket);
            connection.ListIndex = _connections.Count;
            _connections.Add(connection);
            // Start runs the first request inline when its bytes are already there: attribute that to the connection.
            Loop.BeginItem(connection);
            try
            {
                connection.Start(reject);
            }
            catch (Exception e)
            {
                Log.ConnectionFailed(e);
                connection.Close();
            }
        }
    }

    private bool EvictIdle()
    {
        foreach (var c in _connections)
        {
            if (c.TryEvict())
            {
                return true;
            }
        }

        return false;
    }

    public void OnConnectionClosed(Connection connection)
    {
        int index = connection.ListIndex;
        if (index >= 0)
        {
            int last = _connections.Count - 1;
            var moved = _connections[last];
            _connections[index] = moved;
            moved.ListIndex = index;
            _connections.RemoveAt(last);
            connection.ListIndex = -1;
        }

        ReleaseSlot();
    }

    private void ReleaseSlot()
    {
        _connectionSlots?.Release();
        if (Interlocked.Decrement(ref _open) == 0 && Draining)
        {
            _drained.TrySetResult();
        }
    }

    private void Heartbeat(long now)
    {
        Date.Update(DateTimeOffset.UtcNow);
        Pool?.CheckAbandoned(now);
        var timedOut = _timedOut;
        foreach (var c in _connections)
        {
            if (c.CheckTimeout(now))
            {
                timedOut.Add(c);
            }
        }

        // Acting after the scan: a timeout resumes handler code inline, which may open or close connections.
        foreach (var c in timedOut)
        {
            c.OnTimeout(now);
        }

        timedOut.Clear();
    }

    /// <summary>Diagnostics: (open connections, those holding pooled buffers), counted on the loop.</summary>
    public Task<(int Open, int HoldingBuffers)> CountBuffersAsync()
    {
        var result = new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.Post(_ =>
        {
            int holding = 0;
            foreach (var c in _connections)
            {
                holding += c.HoldsBuffers ? 1 : 0;
            }

            result.TrySetResult((_connections.Count, holding));
        }, null);
        return result.Task;
    }

    /// <summary>Stops accepting, lets in-flight requests finish up to the shutdown timeout, then closes the rest.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        _stopping = true;
        if (_listener is { } listener)
        {
            // shutdown(2) wakes a thread blocked in accept(2) at once; close alone does not on Linux.
            Libc.shutdown((int)listener.Handle, 2);
            listener.Dispose();
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.Post(_ =>
        {
            Draining = true;
            Log.Stopping(_connections.Count);
            foreach (var c in _connections.ToArray())
            {
                c.OnDraining();
            }

            if (Volatile.Read(ref _open) == 0)
            {
                _drained.TrySetResult();
            }

            started.TrySetResult();
        }, null);
        await started.Task.ConfigureAwait(false);
        int abandoned = 0;
        if (await Task.WhenAny(_drained.Task, Task.Delay(timeout)).ConfigureAwait(false) != _drained.Task)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Loop.Post(_ =>
            {
                abandoned = _connections.Count;
                foreach (var c in _connections.ToArray())
                {
                    c.Close();
                }

                closed.TrySetResult();
            }, null);
            await closed.Task.ConfigureAwait(false);
        }

        // Connections have drained (or were cut): queued worker items have finished or been abandoned. Idle workers
        // exit at once; one stuck in a handler that ignores cancellation gets only what is left of the timeout (it
        // is a background thread and cannot keep the process alive), so a stop never outlasts ShutdownTimeout. It
        // used to get at least 1 s more: SIGTERM with a hung worker exited 2.06 s after the signal with a 1 s timeout.
        var left = timeout - stopwatch.Elapsed;
        Pool?.Stop(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        Log.Stopped(abandoned);
        BlockedLoop?.Stop();
        Loop.Stop();
        await Loop.Stopped.ConfigureAwait(false);
        Loop.Dispose();
        Metrics.Dispose();
    }
}
