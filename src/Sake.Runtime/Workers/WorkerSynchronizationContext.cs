using System.Collections.Concurrent;

namespace Sake.Workers;

/// <summary>
/// Each worker's own single-threaded context: after an <c>await</c> a worker handler resumes on the same worker
/// thread, so work never leaks onto the thread pool, the N-thread bound holds, and <c>InWorkerPool</c> stays
/// true. A worker runs one request at a time: while its handler awaits, the worker runs only that handler's
/// continuations and takes no new work from the queue (backpressure stays exact).
/// </summary>
internal sealed class WorkerSynchronizationContext : SynchronizationContext
{
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Action<Exception> _onError;

    public WorkerSynchronizationContext(Action<Exception> onError) => _onError = onError;

    public override void Post(SendOrPostCallback d, object? state)
    {
        _queue.Enqueue((d, state));
        _signal.Release();
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs posted continuations on this thread until <paramref name="task"/> completes.</summary>
    public void RunUntilCompleted(Task task)
    {
        task.ContinueWith(static (_, s) => ((SemaphoreSlim)s!).Release(), _signal, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            _signal.Wait();
            RunPending();
        }
    }

    /// <summary>Runs continuations left over from earlier handlers (timers that fired after they returned).</summary>
    public void RunPending()
    {
        while (_queue.TryDequeue(out var work))
        {
            try
            {
                work.Callback(work.State);
            }
            catch (Exception e)
            {
                _onError(e);
            }
        }
    }
}
