using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Sake.Loop;

/// <summary>
/// The single event-loop thread. It waits in <c>epoll_wait</c> for socket readiness, runs continuations posted
/// from other threads (through a <see cref="Channel{T}"/>), and fires a heartbeat that drives every timeout, so
/// cancellation callbacks run here and never on a timer thread.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEvents = 256;

    private readonly Channel<WorkItem> _work = Channel.CreateUnbounded<WorkItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly Thread _thread;
    private readonly TimeSpan _heartbeatInterval;
    private readonly Action<long> _heartbeat;
    private readonly int _epfd;
    private readonly int _eventFd;
    private IPollable?[] _slots = new IPollable?[64];
    private uint[] _generations = new uint[64];
    private readonly Stack<int> _freeSlots = new();
    private int _nextSlot;
    /// <summary>1 while the loop is (about to be) blocked in epoll_wait: only then does a post need the eventfd.</summary>
    private int _sleeping;
    private volatile bool _stopping;
    private volatile bool _disposed;
    private int _wakers;
    private int _threadId = -1;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// What the loop is running now, for the blocked-loop detector on another thread: a sequence number bumped at
    /// the start of every work item (and before every <c>epoll_wait</c>) and the item's owner (a connection, or
    /// one of the markers below). Two plain stores per item; the detector only reads them.
    /// </summary>
    private long _itemSequence;
    private object? _itemOwner;

    /// <summary>Owner marker: the loop is waiting in <c>epoll_wait</c> (idle, never "blocked").</summary>
    public static readonly object Waiting = new();

    /// <summary>Owner marker: the loop runs its heartbeat (timeouts, date cache).</summary>
    public static readonly object HeartbeatOwner = new();

    public EventLoop(TimeSpan heartbeatInterval, Action<long> heartbeat)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Sake's event loop drives epoll directly and runs on Linux only.");
        }

        _heartbeatInterval = heartbeatInterval;
        _heartbeat = heartbeat;
        _epfd = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (_epfd < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _eventFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_eventFd < 0)
        {
            throw new InvalidOperationException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }

        AddToEpoll(_eventFd, Libc.EPOLLIN, ulong.MaxValue);
        SynchronizationContext = new LoopSynchronizationContext(this);
        _thread = new Thread(ThreadMain) { Name = "Sake event loop", IsBackground = true };
    }

    /// <summary>The context installed on the loop thread; captured by every await in a handler.</summary>
    public LoopSynchronizationContext SynchronizationContext { get; }

    public bool IsOnLoop => Environment.CurrentManagedThreadId == _threadId;

    /// <summary>An awaitable that continues on the loop thread (inline when already there).</summary>
    public LoopAwaitable ResumeOnLoop() => new(this);

    public int ThreadId => _threadId;

    /// <summary>Bumped at the start of every work item; read from the detector thread.</summary>
    public long ItemSequence => Volatile.Read(ref _itemSequence);

    /// <summary>The owner of the current work item (see <see cref="ItemSequence"/>); read from the detector thread.</summary>
    public object? ItemOwner => Volatile.Read(ref _itemOwner);

    /// <summary>
    /// Marks the start of a work item: two plain stores on the loop thread (the increment is a release store).
    /// Loop thread only; the runtime also calls it when one work item starts a new owner's code (a new connection).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void BeginItem(object? owner)
    {
        _itemOwner = owner;
        Volatile.Write(ref _itemSequence, _itemSequence + 1);
    }

    /// <summary>Completes when the loop thread has exited.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>
    /// Starts the loop without the caller's ExecutionContext: AsyncLocals of whoever called Run (a test framework,
    /// an Activity) must not leak into every request, and a default context keeps resumptions cheap.
    /// </summary>
    public void Start() => _thread.UnsafeStart();

    /// <summary>Queues work for the loop from any thread.</summary>
    public void Post(SendOrPostCallback callback, object? state) => Post(callback, state, null);

    /// <summary>
    /// Queues work that runs under <paramref name="context"/> (a connection's context, so its continuations stay
    /// attributed to that connection), or under the loop's own context when null.
    /// </summary>
    public void Post(SendOrPostCallback callback, object? state, LoopSynchronizationContext? context)
    {
        _work.Writer.TryWrite(new WorkItem(callback, state, context));
        Wake();
    }

    private void Wake()
    {
        // Only a post that finds the loop asleep pays for the syscall; a busy loop drains the queue on its next turn.
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            // Dispose waits for wakers in flight, so the eventfd number is never written after it was closed
            // (and possibly reused for a client socket).
            Interlocked.Increment(ref _wakers);
            if (!_disposed)
            {
                ulong one = 1;
                Libc.write(_eventFd, (byte*)&one, sizeof(ulong));
            }

            Interlocked.Decrement(ref _wakers);
        }
    }

    /// <summary>Asks the loop to finish: it runs what is queued, then exits. Callable from any thread.</summary>
    public void Stop()
    {
        _stopping = true;
        Wake();
    }

    /// <summary>Registers a file descriptor edge-triggered for read and write readiness; loop thread only.</summary>
    public int Register(int fd, IPollable target)
    {
        int slot;
        if (_freeSlots.Count > 0)
        {
            slot = _freeSlots.Pop();
        }
        else
        {
            slot = _nextSlot++;
            if (slot == _slots.Length)
            {
                Array.Resize(ref _slots, slot * 2);
                Array.Resize(ref _generations, slot * 2);
            }
        }

        _slots[slot] = target;
        uint generation = ++_generations[slot];
        AddToEpoll(fd, Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET, ((ulong)generation << 32) | (uint)slot);
        return slot;
    }

    /// <summary>
    /// Forgets a slot. The caller closes the fd afterwards, which removes it from the epoll set; the generation
    /// number makes any event already fetched for the old occupant harmless.
    /// </summary>
    public void Unregister(int slot)
    {
        _slots[slot] = null;
        _generations[slot]++;
        _freeSlots.Push(slot);
    }

    private void AddToEpoll(int fd, uint events, ulong data)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + Libc.EpollDataOffset) = data;
        if (Libc.epoll_ctl(_epfd, Libc.EPOLL_CTL_ADD, fd, ev) != 0)
        {
            throw new InvalidOperationException($"epoll_ctl(ADD, {fd}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private void ThreadMain()
    {
        _threadId = Environment.CurrentManagedThreadId;
        System.Threading.SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        int stride = Libc.EpollEventSize;
        int dataOffset = Libc.EpollDataOffset;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * stride));
        long heartbeatTicks = (long)(_heartbeatInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        long nextHeartbeat = System.Diagnostics.Stopwatch.GetTimestamp() + heartbeatTicks;
        var reader = _work.Reader;
        try
        {
            while (true)
            {
                bool morePosted = RunPosted(reader);
                if (_stopping)
                {
                    RunPosted(reader);
                    break;
                }

                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                int timeoutMs = 0;
                if (!morePosted && now < nextHeartbeat)
                {
                    timeoutMs = (int)Math.Min(int.MaxValue, ((nextHeartbeat - now) * 1000 / System.Diagnostics.Stopwatch.Frequency) + 1);
                }

                BeginItem(Waiting);
                if (timeoutMs > 0)
                {
                    // Announce the sleep, then look once more: a post that came before the announcement is seen
                    // here, one that comes after it finds _sleeping == 1 and writes the eventfd (both sides use
                    // full fences, so one of the two always happens).
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (reader.TryPeek(out _) || _stopping)
                    {
                        timeoutMs = 0;
                    }
                }

                int n = Libc.epoll_wait(_epfd, events, MaxEvents, timeoutMs);
                Volatile.Write(ref _sleeping, 0);
                for (int i = 0; i < n; i++)
                {
                    byte* ev = events + (i * stride);
                    uint flags = *(uint*)ev;
                    ulong data = *(ulong*)(ev + dataOffset);
                    if (data == ulong.MaxValue)
                    {
                        ulong drained;
                        Libc.read(_eventFd, (byte*)&drained, sizeof(ulong));
                        continue;
                    }

                    int slot = (int)(uint)data;
                    if (_generations[slot] == (uint)(data >> 32) && _slots[slot] is { } target)
                    {
                        BeginItem(target);
                        Dispatch(target, flags);
                    }
                }

                now = System.Diagnostics.Stopwatch.GetTimestamp();
                if (now >= nextHeartbeat)
                {
                    nextHeartbeat = now + heartbeatTicks;
                    BeginItem(HeartbeatOwner);
                    try
                    {
                        _heartbeat(now);
                    }
                    catch (Exception e)
                    {
                        Environment.FailFast("Sake heartbeat failed", e);
                    }
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
            _stopped.TrySetResult();
        }
    }

    private static void Dispatch(IPollable target, uint flags)
    {
        try
        {
            target.OnEvents(flags);
        }
        catch (Exception e)
        {
            // A connection bug must not take the whole loop down: the connection logs and closes itself; this is
            // the last line of defence for bugs in that path.
            Console.Error.WriteLine($"Sake: unhandled exception on the event loop: {e}");
        }
    }

    private bool RunPosted(ChannelReader<WorkItem> reader)
    {
        // Bounded per turn so a flood of posts cannot starve socket readiness.
        for (int i = 0; i < 4096; i++)
        {
            if (!reader.TryRead(out var item))
            {
                return false;
            }

            var context = item.Context;
            BeginItem(context?.Owner);
            try
            {
                if (context is null)
                {
                    item.Callback(item.State);
                }
                else
                {
                    // A connection's continuation runs under that connection's context, so its next await captures
                    // it again (and the detector can name the route of every segment of an async handler).
                    System.Threading.SynchronizationContext.SetSynchronizationContext(context);
                    try
                    {
                        item.Callback(item.State);
                    }
                    finally
                    {
                        System.Threading.SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
                    }
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"Sake: unhandled exception in a continuation on the event loop: {e}");
            }
        }

        return true;
    }

    /// <summary>Closes the epoll and eventfd descriptors; call after <see cref="Stopped"/> completed.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var spin = new SpinWait();
        while (Volatile.Read(ref _wakers) != 0)
        {
            spin.SpinOnce();
        }

        Libc.close(_eventFd);
        Libc.close(_epfd);
    }

    private readonly record struct WorkItem(SendOrPostCallback Callback, object? State, LoopSynchronizationContext? Context);
}
