using Sake.Hosting;

namespace Sake.Workers;

/// <summary>One dedicated worker thread: takes a request from the pool's queue, runs its endpoint, sends the result back.</summary>
internal sealed class Worker
{
    private readonly WorkerPool _pool;
    private readonly WorkerRequestHost _host;
    private readonly Context _context;
    private readonly WorkerSynchronizationContext _sync;
    private readonly Thread _thread;

    public Worker(WorkerPool pool, HttpServer server, int id, bool replacement, int stackSize)
    {
        _pool = pool;
        Id = id;
        _host = new WorkerRequestHost(server);
        _context = new Context(_host);
        _sync = new WorkerSynchronizationContext(e => server.Log.WorkerCallbackFailed(e));
        _thread = new Thread(Main, stackSize)
        {
            Name = replacement ? $"Sake worker {id} (replacement)" : $"Sake worker {id}",
            IsBackground = true,
        };
    }

    public int Id { get; }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Set when an abandoned handler kept running past its request (it ignored cancellation).</summary>
    public bool Stuck { get; set; }

    public void Start() => _thread.UnsafeStart();

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Main()
    {
        SynchronizationContext.SetSynchronizationContext(_sync);
        Exception? fault = null;
        try
        {
            while (_pool.TryTake(this, out var item))
            {
                Run(item);
                if (_pool.ShouldRetire(this))
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // Per-item failures are caught in Run; reaching here means the worker loop itself broke.
            fault = e;
        }
        finally
        {
            _pool.OnWorkerExited(this, fault);
        }
    }

    private void Run(WorkItem item)
    {
        if (!item.TryStart(this))
        {
            return;
        }

        byte[] response = FallbackError;
        var ctx = _context;
        _pool.OnWorkerBusy(true);
        _sync.BeginRequest();
        try
        {
            var request = WorkerCodec.DeserializeRequest(item.Payload);
            _host.Load(request);

            ctx.BeginRequest(request.Method, request.Path, item.Endpoint, 0, [item.Handler], request.RouteValues);
            ctx._abortedOverride = item.Cancellation.Token;
            WorkerCodec.ApplyResponse(ctx, request.Response, includeItems: false);
            WorkerCodec.LoadItems(ctx, request.Items);
            var pending = ctx.Next();
            if (!pending.IsCompleted)
            {
                var task = pending.AsTask();
                _sync.RunUntilCompleted(task);
                task.GetAwaiter().GetResult();
            }
            else
            {
                pending.GetAwaiter().GetResult();
            }

            try
            {
                response = WorkerCodec.SerializeResponse(ctx);
            }
            catch (Exception e) when (e is not WorkerBoundaryException)
            {
                // The handler succeeded; what failed is carrying its answer back (a body beyond what JSON can hold).
                throw new WorkerBoundaryException($"The response could not cross the worker boundary: {e.Message}");
            }
        }
        catch (Exception e)
        {
            response = ErrorResponse(e);
        }
        finally
        {
            // Whatever happened, the loop gets an answer: a request must never be left waiting on a worker.
            _sync.EndRequest();
            ctx._abortedOverride = null;
            ctx.EndRequest();
            ctx.ReleaseIdleBuffers();
            // Before the loop hears of it, so a client that has its response never sees this worker still busy.
            _pool.OnWorkerBusy(false);
            item.Complete(response);
        }

        _pool.FaultHook?.Invoke(this);
    }

    /// <summary>Used when even describing the failure failed (an exception whose Message throws, say).</summary>
    private static readonly byte[] FallbackError = WorkerCodec.SerializeError(1, "System.Exception", "The worker could not describe the handler's failure.", null, 0);

    /// <summary>
    /// A failure travels back as data and is rethrown on the loop (see <see cref="WorkerDispatcher"/>), so loop-side
    /// middleware and Recovery see it exactly as they would see a loop handler's exception; it is logged there,
    /// once, with the worker's stack trace attached.
    /// </summary>
    private static byte[] ErrorResponse(Exception e)
    {
        try
        {
            var (kind, reason) = e switch
            {
                BadRequestException bad => (2, (int)bad.Reason),
                WorkerBoundaryException => (3, 0),
                _ => (1, 0),
            };
            return WorkerCodec.SerializeError(kind, e.GetType().FullName, e.Message, e.StackTrace, reason);
        }
        catch (Exception)
        {
            return FallbackError;
        }
    }
}
