using Microsoft.Extensions.Logging;

namespace Sake.Diagnostics;

/// <summary>
/// The server's log messages, source-generated. Each message takes its level as an argument and checks
/// <see cref="ILogger.IsEnabled"/> in its wrapper: with a level argument the logging generator writes one small
/// non-generic state struct per message instead of calling <c>LoggerMessage.Define&lt;…&gt;</c>, whose generic
/// instantiations (one per argument mix, with their formatters and shared-generic lookups) made a NativeAOT
/// HelloWorld about 50 KB larger. The levels stay fixed: each wrapper passes a constant.
/// </summary>
internal sealed partial class ServerLog
{
    private readonly ILogger _logger;

    public ServerLog(ILogger logger) => _logger = logger;

    public void CallbackFailed(Exception e)
    {
        if (_logger.IsEnabled(LogLevel.Error))
        {
            CallbackFailedCore(_logger, LogLevel.Error, e);
        }
    }

    public void HandlerFailed(string method, string path, Exception e)
    {
        if (_logger.IsEnabled(LogLevel.Error))
        {
            HandlerFailedCore(_logger, LogLevel.Error, method, path, e);
        }
    }

    public void Listening(string url, int workers)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ListeningCore(_logger, LogLevel.Information, url, Environment.ProcessorCount, workers);
        }
    }

    public void Stopping(int open)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            StoppingCore(_logger, LogLevel.Information, open);
        }
    }

    public void Stopped(int abandoned)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            StoppedCore(_logger, LogLevel.Information, abandoned);
        }
    }

    public void ConnectionFailed(Exception e)
    {
        if (_logger.IsEnabled(LogLevel.Error))
        {
            ConnectionFailedCore(_logger, LogLevel.Error, e);
        }
    }

    public void WorkerCallbackFailed(Exception e)
    {
        if (_logger.IsEnabled(LogLevel.Error))
        {
            WorkerCallbackFailedCore(_logger, LogLevel.Error, e);
        }
    }

    public void ProcessorCountFallback(int detected, int used)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            ProcessorCountFallbackCore(_logger, LogLevel.Warning, detected, used);
        }
    }

    public void WorkerReplacedWhileStuck(int worker, int replacements, int limit)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            WorkerReplacedCore(_logger, LogLevel.Warning, worker, replacements, limit);
        }
    }

    public void PoolDegraded(int stuck, int size, int limit)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            PoolDegradedCore(_logger, LogLevel.Warning, stuck, size, limit);
        }
    }

    public void WorkerFaulted(int worker, Exception e)
    {
        if (_logger.IsEnabled(LogLevel.Error))
        {
            WorkerFaultedCore(_logger, LogLevel.Error, worker, e);
        }
    }

    public void WorkerRoutesOnLoop(int count)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            WorkerRoutesOnLoopCore(_logger, LogLevel.Information, count);
        }
    }

    public void RouteMatcher(int count, string matcher)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            RouteMatcherCore(_logger, LogLevel.Debug, count, matcher);
        }
    }

    public void LoopBlocked(long elapsedMs, string route)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            LoopBlockedCore(_logger, LogLevel.Warning, elapsedMs, route);
        }
    }

    [LoggerMessage(EventId = 18, Message = "Event loop blocked for {ElapsedMs} ms by {Route}: a handler is running synchronous work on the loop; await it or mark the route .Worker().", SkipEnabledCheck = true)]
    private static partial void LoopBlockedCore(ILogger logger, LogLevel level, long elapsedMs, string route);

    [LoggerMessage(EventId = 10, Message = "A continuation posted to a worker threw.", SkipEnabledCheck = true)]
    private static partial void WorkerCallbackFailedCore(ILogger logger, LogLevel level, Exception e);

    [LoggerMessage(EventId = 12, Message = "Environment.ProcessorCount reported {Detected}; the worker pool uses {Used} threads instead.", SkipEnabledCheck = true)]
    private static partial void ProcessorCountFallbackCore(ILogger logger, LogLevel level, int detected, int used);

    [LoggerMessage(EventId = 13, Message = "Worker {Worker} is still running a handler that was abandoned (it ignores cancellation); started replacement {Replacements} of at most {Limit}.", SkipEnabledCheck = true)]
    private static partial void WorkerReplacedCore(ILogger logger, LogLevel level, int worker, int replacements, int limit);

    [LoggerMessage(EventId = 14, Message = "Worker pool degraded: {Stuck} of {Size} workers are stuck in handlers that ignore cancellation and the replacement limit ({Limit}) is reached.", SkipEnabledCheck = true)]
    private static partial void PoolDegradedCore(ILogger logger, LogLevel level, int stuck, int size, int limit);

    [LoggerMessage(EventId = 15, Message = "Worker {Worker} stopped unexpectedly; the supervisor started a replacement.", SkipEnabledCheck = true)]
    private static partial void WorkerFaultedCore(ILogger logger, LogLevel level, int worker, Exception e);

    [LoggerMessage(EventId = 16, Message = "EnableWorkerPool is false: {Count} .Worker() routes run on the event loop.", SkipEnabledCheck = true)]
    private static partial void WorkerRoutesOnLoopCore(ILogger logger, LogLevel level, int count);

    [LoggerMessage(EventId = 17, Message = "{Count} routes, matched by {Matcher}.", SkipEnabledCheck = true)]
    private static partial void RouteMatcherCore(ILogger logger, LogLevel level, int count, string matcher);

    [LoggerMessage(EventId = 1, Message = "A cancellation callback on Context.Aborted threw.", SkipEnabledCheck = true)]
    private static partial void CallbackFailedCore(ILogger logger, LogLevel level, Exception e);

    [LoggerMessage(EventId = 2, Message = "Unhandled exception in {Method} {Path}.", SkipEnabledCheck = true)]
    private static partial void HandlerFailedCore(ILogger logger, LogLevel level, string method, string path, Exception e);

    [LoggerMessage(EventId = 3, Message = "Sake listening on {Url} (one event loop thread, {Cpus} CPUs, {Workers} workers).", SkipEnabledCheck = true)]
    private static partial void ListeningCore(ILogger logger, LogLevel level, string url, int cpus, int workers);

    [LoggerMessage(EventId = 4, Message = "Shutting down: {Open} connections open.", SkipEnabledCheck = true)]
    private static partial void StoppingCore(ILogger logger, LogLevel level, int open);

    [LoggerMessage(EventId = 5, Message = "Stopped; {Abandoned} connections were closed at the shutdown timeout.", SkipEnabledCheck = true)]
    private static partial void StoppedCore(ILogger logger, LogLevel level, int abandoned);

    [LoggerMessage(EventId = 6, Message = "Connection failed unexpectedly.", SkipEnabledCheck = true)]
    private static partial void ConnectionFailedCore(ILogger logger, LogLevel level, Exception e);
}
