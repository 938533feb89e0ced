using Microsoft.Extensions.Logging;

namespace Sake;

/// <summary>
/// Server configuration. Every default names its source; <see cref="Validate"/> (called when the app starts)
/// throws <see cref="ArgumentException"/> for values that cannot work.
/// </summary>
public sealed record Config
{
    /// <summary>Worker threads for <c>.Worker()</c> routes; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    public int WorkerPoolSize { get; init; }

    /// <summary>When false, <c>.Worker()</c> routes run on the event loop like any other route.</summary>
    public bool EnableWorkerPool { get; init; } = true;

    /// <summary>
    /// Requests waiting for a worker at most; beyond it worker routes answer <c>503</c> with <c>Retry-After</c>.
    /// 0 means 64 × the pool size: at the spec's ~400 µs per CPU-heavy request a full queue drains in about
    /// 26 ms, so queueing adds bounded latency while a burst of a few dozen requests per core is absorbed.
    /// </summary>
    public int WorkerQueueCapacity { get; init; }

    /// <summary>
    /// How long a worker request may wait for room in a full queue before the <c>503</c>. Default zero: answer at
    /// once, so an overloaded server sheds load instead of holding connections.
    /// </summary>
    public TimeSpan WorkerQueueTimeout { get; init; }

    /// <summary>
    /// Stack reserved per worker thread. Default 1.5 MiB, .NET's default for secondary threads on Linux: the
    /// reservation costs address space, not RSS (only touched pages are resident), and a small stack turns a deep
    /// recursion into a stack overflow, which ends the process.
    /// </summary>
    public int WorkerStackSize { get; init; } = 1536 * 1024;

    /// <summary>
    /// How long an idle worker keeps polling the queue before it sleeps. Waking a sleeping thread costs 5–20 µs
    /// (more on virtual machines, where the idle CPU is halted); a worker that polls briefly after its last request
    /// picks up the next one of a steady stream without paying that. Polling uses PAUSE and yields, and stops at once
    /// when the pool stops. Default 100 µs; zero sleeps immediately.
    /// </summary>
    public TimeSpan WorkerIdleSpin { get; init; } = TimeSpan.FromMicroseconds(100);

    /// <summary>
    /// Extra threads the pool may start to replace workers stuck in handlers that ignore cancellation after a
    /// <see cref="RequestTimeout"/>. 0 means the pool size (at most 2 × N threads exist). Past the limit the pool
    /// runs degraded and logs a warning each time.
    /// </summary>
    public int WorkerReplacementLimit { get; init; }

    /// <summary>Open connections at most. Default 10,000: the spec's SC-001 target (Kestrel sets no limit).</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>What happens to connections beyond <see cref="MaxConnections"/>.</summary>
    public ConnectionLimitMode ConnectionLimitMode { get; init; } = ConnectionLimitMode.Queue;

    /// <summary>
    /// From the moment a request's headers are complete until its response starts; exceeded → <c>504</c>, the
    /// request's <see cref="Context.Aborted"/> token fires and the late result is dropped. Default 30 s, as the
    /// spec's request_timeout (ASP.NET's request-timeouts middleware has no default).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection stays open. Default 130 s, Kestrel's KeepAliveTimeout.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>Time allowed to receive a request's headers (<c>408</c> after). Default 30 s, Kestrel's RequestHeadersTimeout.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Slowest accepted request body, in bytes per second, after <see cref="MinRequestBodyDataRateGracePeriod"/> (<c>408</c> below it). Default 240 B/s, Kestrel's MinRequestBodyDataRate.</summary>
    public double MinRequestBodyDataRate { get; init; } = 240;

    /// <summary>Grace period before <see cref="MinRequestBodyDataRate"/> applies. Default 5 s, as Kestrel.</summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Slowest accepted response reader, in bytes per second, measured while the server waits to send, after
    /// <see cref="MinResponseDataRateGracePeriod"/>; below it the connection is closed. Default 240 B/s, Kestrel's
    /// MinResponseDataRate. 0 turns it off.
    /// </summary>
    public double MinResponseDataRate { get; init; } = 240;

    /// <summary>Grace period before <see cref="MinResponseDataRate"/> applies. Default 5 s, as Kestrel.</summary>
    public TimeSpan MinResponseDataRateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest request line (<c>414</c> above). Default 8 KiB, Kestrel's MaxRequestLineSize.</summary>
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>Largest header block (<c>431</c> above). Default 32 KiB, Kestrel's MaxRequestHeadersTotalSize.</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>Most header fields in a request (<c>431</c> above). Default 100, Kestrel's MaxRequestHeaderCount.</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Largest request body (<c>413</c> above). Default 30,000,000 bytes, Kestrel's MaxRequestBodySize.</summary>
    public long MaxRequestBodySize { get; init; } = 30_000_000;

    /// <summary>
    /// Longest extension on one chunk-size line. Default 1 KiB: extensions have no standard use in requests and
    /// unbounded ones are a smuggling and memory vector (Kestrel CVE-2025-55315).
    /// </summary>
    public int MaxChunkExtensionLength { get; init; } = 1024;

    /// <summary>How long <see cref="SakeApp.StopAsync"/> waits for in-flight requests. Default 30 s, .NET's HostOptions.ShutdownTimeout.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seconds sent in <c>Retry-After</c> with connection-limit <c>503</c>s. Default 1.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>When true, exception messages appear in error bodies. Default false: they may leak internals.</summary>
    public bool DetailedErrors { get; init; }

    /// <summary>Listen backlog passed to <c>listen(2)</c>. Default 512, Kestrel's socket transport backlog.</summary>
    public int ListenBacklog { get; init; } = 512;

    /// <summary>
    /// How long one event-loop work item (a callback, a continuation, a synchronous stretch of a handler) may run
    /// before a watchdog thread logs a warning naming the route: every other connection waits meanwhile. Default
    /// 100 ms: a normal handler segment takes microseconds, and 100 ms is a whole request's latency budget for many
    /// services (Vert.x's BlockedThreadChecker waits 2 s for event-loop threads, which hides stalls that already
    /// hurt). <see cref="TimeSpan.Zero"/> turns the detector off
    /// (no thread is started). The check runs every quarter of the threshold (at least 10 ms), so a warning comes
    /// between 1× and about 1.5× the threshold after the item started.
    /// </summary>
    public TimeSpan BlockedLoopThreshold { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Logging; null means no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Test seam for the auto-sized pool (FR-009): replaces <see cref="Environment.ProcessorCount"/>.</summary>
    internal Func<int>? ProcessorCountProvider { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        Require(WorkerPoolSize >= 0, nameof(WorkerPoolSize), "must be 0 (auto) or positive");
        Require(WorkerQueueCapacity >= 0, nameof(WorkerQueueCapacity), "must be 0 (auto) or positive");
        Require(WorkerQueueTimeout >= TimeSpan.Zero && WorkerQueueTimeout.TotalDays < 1, nameof(WorkerQueueTimeout), "must be zero or positive and under a day");
        Require(WorkerIdleSpin >= TimeSpan.Zero && WorkerIdleSpin <= TimeSpan.FromMilliseconds(10), nameof(WorkerIdleSpin), "must be between zero and 10 ms");
        Require(WorkerStackSize >= 256 * 1024, nameof(WorkerStackSize), "must be at least 256 KiB (smaller stacks overflow in ordinary .NET code)");
        Require(WorkerReplacementLimit >= 0, nameof(WorkerReplacementLimit), "must be 0 (pool size) or positive");
        Require(MaxConnections > 0, nameof(MaxConnections), "must be positive");
        Require(ConnectionLimitMode is ConnectionLimitMode.Queue or ConnectionLimitMode.Reject, nameof(ConnectionLimitMode), "is not a defined mode");
        RequirePositive(RequestTimeout, nameof(RequestTimeout));
        RequirePositive(KeepAliveTimeout, nameof(KeepAliveTimeout));
        RequirePositive(RequestHeadersTimeout, nameof(RequestHeadersTimeout));
        Require(MinRequestBodyDataRate >= 0 && double.IsFinite(MinRequestBodyDataRate), nameof(MinRequestBodyDataRate), "must be zero (off) or a positive finite rate");
        Require(MinResponseDataRate >= 0 && double.IsFinite(MinResponseDataRate), nameof(MinResponseDataRate), "must be zero (off) or a positive finite rate");
        Require(MinResponseDataRateGracePeriod >= TimeSpan.Zero, nameof(MinResponseDataRateGracePeriod), "must not be negative");
        Require(MinRequestBodyDataRateGracePeriod >= TimeSpan.Zero, nameof(MinRequestBodyDataRateGracePeriod), "must not be negative");
        Require(MaxRequestLineSize >= 64, nameof(MaxRequestLineSize), "must be at least 64 bytes");
        Require(MaxRequestHeadersTotalSize >= 64, nameof(MaxRequestHeadersTotalSize), "must be at least 64 bytes");
        Require(MaxRequestLineSize <= 1 << 20 && MaxRequestHeadersTotalSize <= 1 << 20, nameof(MaxRequestHeadersTotalSize), "request line and header block are limited to 1 MiB each");
        Require(MaxRequestHeaderCount > 0, nameof(MaxRequestHeaderCount), "must be positive");
        Require(MaxRequestBodySize >= 0 && MaxRequestBodySize <= int.MaxValue - 64, nameof(MaxRequestBodySize), "must be between 0 and 2 GiB (bodies are buffered)");
        Require(MaxChunkExtensionLength >= 0, nameof(MaxChunkExtensionLength), "must not be negative");
        Require(ShutdownTimeout >= TimeSpan.Zero, nameof(ShutdownTimeout), "must not be negative");
        Require(RetryAfterSeconds >= 0, nameof(RetryAfterSeconds), "must not be negative");
        Require(ListenBacklog > 0, nameof(ListenBacklog), "must be positive");
        Require(BlockedLoopThreshold >= TimeSpan.Zero && BlockedLoopThreshold.TotalDays < 1, nameof(BlockedLoopThreshold), "must be zero (off) or positive and under a day");
    }

    private static void RequirePositive(TimeSpan value, string name) =>
        Require(value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan && value.TotalDays < 1, name, "must be positive and under a day");

    private static void Require(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"Config.{name} {rule}.", name);
        }
    }
}
