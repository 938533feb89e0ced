using System.Diagnostics;
using Sake.Http;
using Sake.Loop;

namespace Sake.Diagnostics;

/// <summary>
/// The blocked-loop watchdog (Vert.x's BlockedThreadChecker for Sake's one loop thread). The loop bumps
/// <see cref="EventLoop.ItemSequence"/> and stores the item's owner at the start of every work item; this thread
/// samples both every quarter of <see cref="Config.BlockedLoopThreshold"/> (at least 10 ms). A sequence number that
/// has not moved for the threshold while the owner is not <see cref="EventLoop.Waiting"/> is one blocking work item:
/// one warning and one <see cref="Episodes"/> increment per item, however long it goes on.
/// </summary>
/// <remarks>
/// A dedicated thread rather than a <see cref="System.Threading.Timer"/>: timer callbacks run on the thread pool,
/// and a loop blocked on <c>.Result</c> often comes with a starved pool (sync-over-async), which is exactly when
/// the warning must still arrive. The thread sleeps in a wait with a timeout (a few wake-ups per threshold, no
/// allocation while nothing blocks) and has a small stack.
/// </remarks>
internal sealed class BlockedLoopDetector
{
    private readonly EventLoop _loop;
    private readonly ServerLog _log;
    private readonly long _thresholdTicks;
    private readonly TimeSpan _period;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _episodes;

    public BlockedLoopDetector(EventLoop loop, ServerLog log, TimeSpan threshold)
    {
        _loop = loop;
        _log = log;
        _thresholdTicks = (long)(threshold.TotalSeconds * Stopwatch.Frequency);
        _period = Period(threshold);
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { Name = "Sake blocked-loop detector", IsBackground = true };
    }

    /// <summary>Work items that ran past the threshold so far (each counted once).</summary>
    public long Episodes => Interlocked.Read(ref _episodes);

    /// <summary>The sampling period: a quarter of the threshold, at least 10 ms.</summary>
    public static TimeSpan Period(TimeSpan threshold) =>
        TimeSpan.FromTicks(Math.Max(threshold.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));

    /// <summary>Starts sampling; the caller passes no ExecutionContext to it.</summary>
    public void Start() => _thread.UnsafeStart();

    /// <summary>Tells the thread to exit (it does within one sampling period; nothing waits for it).</summary>
    public void Stop() => _stop.Set();

    private void Run()
    {
        long seenSequence = _loop.ItemSequence;
        long seenAt = Stopwatch.GetTimestamp();
        bool reported = false;
        while (!_stop.Wait(_period))
        {
            long sequence = _loop.ItemSequence;
            long now = Stopwatch.GetTimestamp();
            if (sequence != seenSequence || sequence == 0)
            {
                // A new item started since the last sample (it began at most one period ago), or the loop thread
                // has not run yet.
                seenSequence = sequence;
                seenAt = now;
                reported = false;
                continue;
            }

            long elapsed = now - seenAt;
            if (reported || elapsed < _thresholdTicks)
            {
                continue;
            }

            var owner = _loop.ItemOwner;
            if (owner == EventLoop.Waiting || _loop.ItemSequence != sequence)
            {
                // Asleep in epoll_wait (idle, not blocked), or it just moved on.
                continue;
            }

            reported = true;
            Interlocked.Increment(ref _episodes);
            _log.LoopBlocked(elapsed * 1000 / Stopwatch.Frequency, Describe(owner));
        }
    }

    private static string Describe(object? owner) => owner switch
    {
        Connection connection => connection.DescribeCurrentRequest(),
        _ when owner == EventLoop.HeartbeatOwner => "no route (the loop's heartbeat: timeouts and their callbacks)",
        _ => "no route",
    };
}
