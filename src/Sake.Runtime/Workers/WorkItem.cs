using Sake.Routing;

namespace Sake.Workers;

/// <summary>One request in flight to the pool: the JSON payload in, the JSON response out, and its cancellation.</summary>
internal sealed class WorkItem
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Done = 2;
    private const int Abandoned = 3;

    private readonly TaskCompletionSource<byte[]?> _result = new();
    private readonly SynchronizationContext _loop;
    private int _state;

    public WorkItem(WorkerPool pool, RequestHandler handler, Endpoint? endpoint, byte[] payload, SynchronizationContext loop)
    {
        Pool = pool;
        Handler = handler;
        Endpoint = endpoint;
        Payload = payload;
        _loop = loop;
    }

    public WorkerPool Pool { get; }

    public RequestHandler Handler { get; }

    public Endpoint? Endpoint { get; }

    public byte[] Payload { get; }

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>The worker running it (null while queued).</summary>
    public Worker? Worker { get; private set; }

    /// <summary>Completes on the loop with the response JSON (null when the item was abandoned before it ran).</summary>
    public Task<byte[]?> Result => _result.Task;

    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>Worker side: claims the item; false when it was abandoned while queued.</summary>
    public bool TryStart(Worker worker)
    {
        Worker = worker;
        if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued)
        {
            Complete(null);
            return false;
        }

        return true;
    }

    /// <summary>Worker side: hands the response back to the loop.</summary>
    public void Complete(byte[]? response)
    {
        Interlocked.CompareExchange(ref _state, Done, Running);
        _loop.Post(static s =>
        {
            var (item, bytes) = ((WorkItem, byte[]?))s!;
            item._result.TrySetResult(bytes);
        }, (this, response));
    }

    /// <summary>
    /// Loop side, when the request is abandoned (timeout, client gone): cancel the handler's token and report
    /// whether the handler is still running.
    /// </summary>
    public bool Abandon()
    {
        int previous = Interlocked.CompareExchange(ref _state, Abandoned, Queued);
        Cancellation.Cancel();
        return previous == Running || Volatile.Read(ref _state) == Running;
    }
}
