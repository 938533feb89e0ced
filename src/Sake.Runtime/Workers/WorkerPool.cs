using System.Threading.Channels;
using Sake.Diagnostics;
using Sake.Hosting;

namespace Sake.Workers;

/// <summary>
/// N dedicated worker threads behind a bounded queue. The loop is the only writer; a full queue makes the
/// request a <c>503</c> (backpressure), never unbounded memory. A worker whose loop dies is replaced by the
/// supervisor; a worker stuck in a handler that ignored cancellation after its request was abandoned gets a
/// temporary replacement (up to <see cref="Config.WorkerReplacementLimit"/>), so such handlers cannot silently
/// shrink the pool.
/// </summary>
internal sealed class WorkerPool
{
    private readonly Channel<WorkItem> _queue;
    private readonly SemaphoreSlim _available = new(0);
    private readonly List<Worker> _workers = new();
    private readonly HttpServer _server;
    private readonly int _stackSize;
    private readonly int _replacementLimit;
    private readonly long _idleSpinTicks;
    private int _nextId;
    private int _stuck;
    private int _busy;
    private volatile bool _stopping;

    public WorkerPool(HttpServer server, Config config)
    {
        _server = server;
        Size = ResolveSize(config, server.Log);
        Capacity = config.WorkerQueueCapacity == 0 ? 64 * Size : config.WorkerQueueCapacity;
        _stackSize = config.WorkerStackSize;
        _idleSpinTicks = (long)(config.WorkerIdleSpin.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _replacementLimit = config.WorkerReplacementLimit == 0 ? Size : config.WorkerReplacementLimit;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(Capacity)
        {
            // Only the loop writes, but several requests may wait for room at once (WorkerQueueTimeout).
            SingleWriter = false,
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The pool's size N (threads serving requests when none is stuck).</summary>
    public int Size { get; }

    public int Capacity { get; }

    public ServerLog Log => _server.Log;

    /// <summary>Test hook: runs on the worker thread before each item, outside the per-item error handling.</summary>
    internal Action<Worker>? FaultHook { get; set; }


    /// <summary>Threads alive now (N, plus replacements for stuck workers).</summary>
    public int ThreadCount
    {
        get
        {
            lock (_workers)
            {
                return _workers.Count;
            }
        }
    }

    public int[] ThreadIds()
    {
        lock (_workers)
        {
            var ids = new int[_workers.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = _workers[i].ManagedThreadId;
            }

            return ids;
        }
    }

    private static int ResolveSize(Config config, ServerLog log)
    {
        if (config.WorkerPoolSize > 0)
        {
            return config.WorkerPoolSize;
        }

        int detected = (config.ProcessorCountProvider ?? (() => Environment.ProcessorCount))();
        if (detected < 1)
        {
            log.ProcessorCountFallback(detected, 2);
            return 2;
        }

        return detected;
    }

    public void Start()
    {
        for (int i = 0; i < Size; i++)
        {
            StartWorker(replacement: false);
        }
    }

    private void StartWorker(bool replacement)
    {
        var worker = new Worker(this, _server, Interlocked.Increment(ref _nextId), replacement, _stackSize);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        worker.Start();
    }

    /// <summary>Loop side: queue without waiting; false when the queue is full.</summary>
    public bool TryEnqueue(WorkItem item)
    {
        if (_stopping || !_queue.Writer.TryWrite(item))
        {
            return false;
        }

        _available.Release();
        return true;
    }

    /// <summary>The loop's context, where results are posted back.</summary>
    public SynchronizationContext LoopContext => _server.Loop.SynchronizationContext;

    /// <summary>Loop side: wait up to <paramref name="timeout"/> for room in the queue (less if the request is abandoned).</summary>
    public async ValueTask<bool> EnqueueAsync(WorkItem item, TimeSpan timeout, CancellationToken aborted)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        cts.CancelAfter(timeout);
        try
        {
            while (await _queue.Writer.WaitToWriteAsync(cts.Token))
            {
                if (TryEnqueue(item))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    /// <summary>Worker side: blocks for the next item; false when the pool stops.</summary>
    public bool TryTake(Worker worker, out WorkItem item)
    {
        while (true)
        {
            if (!SpinForWork())
            {
                _available.Wait();
            }

            if (_queue.Reader.TryRead(out item!))
            {
                return true;
            }

            if (_stopping)
            {
                // Pass the wake-up on so every worker sees the stop.
                _available.Release();
                return false;
            }
        }
    }

    /// <summary>
    /// Polls for up to <see cref="Config.WorkerIdleSpin"/> before the worker blocks; true when it acquired a queued
    /// item's slot meanwhile. The probe is a plain read of the count, so polling workers do not contend on the
    /// semaphore's lock with the loop that releases it.
    /// </summary>
    private bool SpinForWork()
    {
        if (_idleSpinTicks <= 0)
        {
            return false;
        }

        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + _idleSpinTicks;
        int round = 0;
        while (!_stopping)
        {
            if (_available.CurrentCount > 0 && _available.Wait(0))
            {
                return true;
            }

            if (System.Diagnostics.Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            // Mostly PAUSE (cheap, keeps the core for a hyper-threaded sibling); now and then give the CPU away
            // so that on an oversubscribed machine the thread that will enqueue the work can run.
            if ((++round & 7) == 0)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(30);
            }
        }

        return false;
    }

    /// <summary>Requests waiting in the queue now (metrics; any thread).</summary>
    public int QueueLength => _queue.Reader.Count;

    /// <summary>Workers running a request's handler now (metrics; any thread).</summary>
    public int BusyWorkers => Volatile.Read(ref _busy);

    /// <summary>Worker side: a worker took an item (true) or finished it (false).</summary>
    public void OnWorkerBusy(bool busy)
    {
        if (busy)
        {
            Interlocked.Increment(ref _busy);
        }
        else
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    /// <summary>Loop side: a request was answered 503 because the queue was full.</summary>
    public void OnRejected() => _server.Metrics.WorkerRejected();

    /// <summary>Loop side: one request payload of <paramref name="bytes"/> UTF-8 JSON bytes left for the pool.</summary>
    public void CountPayload(int bytes)
    {
        Dispatched++;
        PayloadBytes += bytes;
    }

    /// <summary>Requests sent into the pool (loop thread only).</summary>
    public long Dispatched { get; private set; }

    /// <summary>UTF-8 JSON bytes of all request payloads sent into the pool (loop thread only).</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>Test hook: sees every request payload as it leaves the loop.</summary>
    internal Action<byte[]>? PayloadObserver { get; set; }

    /// <summary>
    /// How long an abandoned handler may keep running before its worker counts as stuck: long enough for a handler
    /// that polls <see cref="Context.Aborted"/> to return, so cooperative handlers never cost a replacement thread.
    /// Checked on the heartbeat, so the effective grace is this plus up to one heartbeat period.
    /// </summary>
    public static readonly TimeSpan StuckGrace = TimeSpan.FromMilliseconds(100);

    private readonly List<(WorkItem Item, long Deadline)> _abandoned = new();

    /// <summary>Loop side: the request behind <paramref name="item"/> was abandoned (timeout or client gone).</summary>
    public void OnAbandoned(WorkItem item)
    {
        if (item.Abandon() && item.Worker is not null)
        {
            _abandoned.Add((item, System.Diagnostics.Stopwatch.GetTimestamp() + (long)(StuckGrace.TotalSeconds * System.Diagnostics.Stopwatch.Frequency)));
        }
    }

    /// <summary>Loop side, on the heartbeat: abandoned handlers still running after the grace period are stuck.</summary>
    public void CheckAbandoned(long now)
    {
        for (int i = _abandoned.Count - 1; i >= 0; i--)
        {
            var (item, deadline) = _abandoned[i];
            if (!item.IsRunning)
            {
                _abandoned.RemoveAt(i);
            }
            else if (now >= deadline)
            {
                _abandoned.RemoveAt(i);
                MarkStuck(item);
            }
        }
    }

    private void MarkStuck(WorkItem item)
    {
        var worker = item.Worker!;
        lock (_workers)
        {
            // Re-checked under the lock: the handler may have returned meanwhile, and a worker that already exited
            // (or retired) is not in the list any more.
            if (worker.Stuck || !item.IsRunning || !_workers.Contains(worker))
            {
                return;
            }

            worker.Stuck = true;
            _stuck++;
            int replacements = _workers.Count - Size;
            if (replacements < _replacementLimit)
            {
                Log.WorkerReplacedWhileStuck(worker.Id, replacements + 1, _replacementLimit);
                StartWorker(replacement: true);
            }
            else
            {
                Log.PoolDegraded(_stuck, Size, _replacementLimit);
            }
        }
    }

    /// <summary>Worker side, after each item: a worker that was stuck retires if the pool has enough threads.</summary>
    public bool ShouldRetire(Worker worker)
    {
        lock (_workers)
        {
            if (!worker.Stuck)
            {
                return false;
            }

            worker.Stuck = false;
            _stuck--;
            if (_workers.Count - _stuck > Size)
            {
                // Leave the list now, under the lock, so a concurrent abandonment counts threads correctly.
                _workers.Remove(worker);
                return true;
            }

            return false;
        }
    }

    public void OnWorkerExited(Worker worker, Exception? fault)
    {
        bool replace;
        lock (_workers)
        {
            _workers.Remove(worker);
            if (worker.Stuck)
            {
                worker.Stuck = false;
                _stuck--;
            }

            // The supervisor keeps N healthy workers: a worker loop that died is replaced unless a replacement for
            // it (when it was stuck) already serves.
            replace = fault is not null && !_stopping && _workers.Count - _stuck < Size;
        }

        if (fault is not null)
        {
            Log.WorkerFaulted(worker.Id, fault);
        }

        if (replace)
        {
            StartWorker(replacement: true);
        }
    }

    /// <summary>Stops taking work; workers finish what is queued, then exit (waits up to <paramref name="timeout"/>).</summary>
    public void Stop(TimeSpan timeout)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        Worker[] workers;
        lock (_workers)
        {
            workers = _workers.ToArray();
        }

        _available.Release(workers.Length + 1);
        var deadline = DateTime.UtcNow + timeout;
        foreach (var w in workers)
        {
            var left = deadline - DateTime.UtcNow;
            w.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }
}
