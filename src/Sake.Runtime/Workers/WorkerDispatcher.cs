namespace Sake.Workers;

/// <summary>
/// The loop-side end of a <c>.Worker()</c> route: it replaces the handler at the end of the chain, so global,
/// group and route middleware run on the loop first; only the endpoint crosses into the pool.
/// </summary>
internal static class WorkerDispatcher
{
    public static RequestHandler Create(RequestHandler handler, WorkerPool pool, Config config) =>
        ctx => DispatchAsync(ctx, handler, pool, config);

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask DispatchAsync(Context ctx, RequestHandler handler, WorkerPool pool, Config config)
    {
        // The body is read on the loop (100-continue, limits and rates apply as for any route) and crosses inside the JSON.
        var body = await ctx.ReadBodyAsync();
        // A value that cannot cross throws WorkerBoundaryException here, on the loop, like any handler failure.
        byte[] payload = WorkerCodec.SerializeRequest(ctx, body.Span);

        pool.CountPayload(payload.Length);
        pool.PayloadObserver?.Invoke(payload);
        var item = new WorkItem(pool, handler, ctx.Endpoint, payload, SynchronizationContext.Current as Sake.Loop.LoopSynchronizationContext ?? pool.LoopContext);
        if (!pool.TryEnqueue(item) && (config.WorkerQueueTimeout <= TimeSpan.Zero || !await pool.EnqueueAsync(item, config.WorkerQueueTimeout, ctx.Aborted)))
        {
            pool.OnRejected();
            ctx.ResetResponse();
            ctx.Status(503).SetHeader("Retry-After", config.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ctx.WriteErrorJson("The worker pool is at capacity; retry later.");
            return;
        }

        using (ctx.Aborted.UnsafeRegister(static s => ((WorkItem)s!).Pool.OnAbandoned((WorkItem)s!), item))
        {
            var response = await item.Result;
            if (response is null)
            {
                // Abandoned before a worker took it (client gone, timeout): the handler never ran, so no response
                // exists; after-middleware sees a cancellation, not a fake 200.
                throw new OperationCanceledException(ctx.Aborted);
            }

            var result = WorkerCodec.DeserializeResponse(response);
            switch (result.ErrorKind)
            {
                case 0:
                    WorkerCodec.ApplyResponse(ctx, result, includeItems: true);
                    break;
                case 2:
                    throw new BadRequestException((Sake.Http.Rejections.RejectReason)result.ErrorReason);
                case 3:
                    throw new WorkerBoundaryException(result.ErrorMessage ?? "The response could not cross the worker boundary.");
                default:
                    throw new WorkerHandlerException(result.ErrorType ?? "System.Exception", result.ErrorMessage ?? string.Empty, result.ErrorStackTrace);
            }
        }
    }
}
