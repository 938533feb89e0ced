using System.Collections.Concurrent;

namespace Sake.Workers;

/// <summary>
/// Each worker's own context: after an <c>await</c> a worker handler resumes on the same worker thread, so work
/// stays on the N pool threads, the N-thread bound holds and <c>InWorkerPool</c> stays true. A worker runs one
/// request at a time: while its handler awaits, the worker runs only that handler's continuations.
/// </summary>
/// <remarks>
/// Two escapes keep the context from ever stranding work: a continuation posted while no request is active (a
/// fire-and-forget task that outlived its handler) runs on the thread pool at once; one posted while the worker
/// is busy in synchronous code and not picked up within <see cref="RescueAfter"/> (a handler blocking on a task,
/// sync-over-async) runs on the thread pool then, instead of deadlocking the worker. Each continuation runs
/// exactly once, whoever claims it first.
/// </remarks>
internal sealed class WorkerSynchronizationContext : SynchronizationContext
{
    public static readonly TimeSpan RescueAfter = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<PostedWork> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Action<Exception> _onError;
    private volatile bool _active;
    private volatile bool _servicing;

    public WorkerSynchronizationContext(Action<Exception> onError) => _onError = onError;

    public override void Post(SendOrPostCallback d, object? state)
    {
        var work = new PostedWork(d, state, _onError);
        _queue.Enqueue(work);
        _signal.Release();
        if (!_active)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.TryRun(), work, preferLocal: false);
        }
        else if (!_servicing)
        {
            _ = RescueLaterAsync(work);
        }
    }

    private static async Task RescueLaterAsync(PostedWork work)
    {
        await Task.Delay(RescueAfter).ConfigureAwait(false);
        work.TryRun();
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Marks the start of a request on this worker.</summary>
    public void BeginRequest() => _active = true;

    /// <summary>
    /// Marks its end. Anything still queued belongs to work that outlived the handler; it goes to the thread pool
    /// rather than delaying this response or waiting for the worker's next request.
    /// </summary>
    public void EndRequest()
    {
        _active = false;
        while (_queue.TryDequeue(out var work))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.TryRun(), work, preferLocal: false);
        }
    }

    /// <summary>Runs posted continuations on this thread until <paramref name="task"/> completes.</summary>
    public void RunUntilCompleted(Task task)
    {
        task.ContinueWith(static (_, s) => ((SemaphoreSlim)s!).Release(), _signal, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _servicing = true;
        try
        {
            while (!task.IsCompleted)
            {
                _signal.Wait();
                RunPending();
            }
        }
        finally
        {
            _servicing = false;
        }
    }

    private void RunPending()
    {
        while (_queue.TryDequeue(out var work))
        {
            work.TryRun();
        }
    }

    private sealed class PostedWork
    {
        private readonly SendOrPostCallback _callback;
        private readonly object? _state;
        private readonly Action<Exception> _onError;
        private int _claimed;

        public PostedWork(SendOrPostCallback callback, object? state, Action<Exception> onError)
        {
            _callback = callback;
            _state = state;
            _onError = onError;
        }

        public void TryRun()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0)
            {
                return;
            }

            try
            {
                _callback(_state);
            }
            catch (Exception e)
            {
                _onError(e);
            }
        }
    }
}
