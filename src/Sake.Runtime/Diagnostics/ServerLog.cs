using Microsoft.Extensions.Logging;

namespace Sake.Diagnostics;

/// <summary>The server's log messages; source-generated so logging costs nothing when disabled.</summary>
internal sealed partial class ServerLog
{
    private readonly ILogger _logger;

    public ServerLog(ILogger logger) => _logger = logger;

    public void CallbackFailed(Exception e) => CallbackFailedCore(_logger, e);

    public void HandlerFailed(string method, string path, Exception e) => HandlerFailedCore(_logger, method, path, e);

    public void Listening(string url, int workers) => ListeningCore(_logger, url, Environment.ProcessorCount, workers);

    public void Stopping(int open) => StoppingCore(_logger, open);

    public void Stopped(int abandoned) => StoppedCore(_logger, abandoned);

    public void ConnectionFailed(Exception e) => ConnectionFailedCore(_logger, e);

    public void WorkerCallbackFailed(Exception e) => WorkerCallbackFailedCore(_logger, e);

    public void ProcessorCountFallback(int detected, int used) => ProcessorCountFallbackCore(_logger, detected, used);

    public void WorkerReplacedWhileStuck(int worker, int replacements, int limit) => WorkerReplacedCore(_logger, worker, replacements, limit);

    public void PoolDegraded(int stuck, int size, int limit) => PoolDegradedCore(_logger, stuck, size, limit);

    public void WorkerFaulted(int worker, Exception e) => WorkerFaultedCore(_logger, worker, e);

    public void WorkerRoutesOnLoop(int count) => WorkerRoutesOnLoopCore(_logger, count);

    public void RouteMatcher(int count, string matcher) => RouteMatcherCore(_logger, count, matcher);

    public void LoopBlocked(long elapsedMs, string route) => LoopBlockedCore(_logger, elapsedMs, route);

    [LoggerMessage(18, LogLevel.Warning, "Event loop blocked for {ElapsedMs} ms by {Route}: a handler is running synchronous work on the loop; await it or mark the route .Worker().")]
    private static partial void LoopBlockedCore(ILogger logger, long elapsedMs, string route);

    [LoggerMessage(10, LogLevel.Error, "A continuation posted to a worker threw.")]
    private static partial void WorkerCallbackFailedCore(ILogger logger, Exception e);

    [LoggerMessage(12, LogLevel.Warning, "Environment.ProcessorCount reported {Detected}; the worker pool uses {Used} threads instead.")]
    private static partial void ProcessorCountFallbackCore(ILogger logger, int detected, int used);

    [LoggerMessage(13, LogLevel.Warning, "Worker {Worker} is still running a handler that was abandoned (it ignores cancellation); started replacement {Replacements} of at most {Limit}.")]
    private static partial void WorkerReplacedCore(ILogger logger, int worker, int replacements, int limit);

    [LoggerMessage(14, LogLevel.Warning, "Worker pool degraded: {Stuck} of {Size} workers are stuck in handlers that ignore cancellation and the replacement limit ({Limit}) is reached.")]
    private static partial void PoolDegradedCore(ILogger logger, int stuck, int size, int limit);

    [LoggerMessage(15, LogLevel.Error, "Worker {Worker} stopped unexpectedly; the supervisor started a replacement.")]
    private static partial void WorkerFaultedCore(ILogger logger, int worker, Exception e);

    [LoggerMessage(16, LogLevel.Information, "EnableWorkerPool is false: {Count} .Worker() routes run on the event loop.")]
    private static partial void WorkerRoutesOnLoopCore(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Debug, "{Count} routes, matched by {Matcher}.")]
    private static partial void RouteMatcherCore(ILogger logger, int count, string matcher);

    [LoggerMessage(1, LogLevel.Error, "A cancellation callback on Context.Aborted threw.")]
    private static partial void CallbackFailedCore(ILogger logger, Exception e);

    [LoggerMessage(2, LogLevel.Error, "Unhandled exception in {Method} {Path}.")]
    private static partial void HandlerFailedCore(ILogger logger, string method, string path, Exception e);

    [LoggerMessage(3, LogLevel.Information, "Sake listening on {Url} (one event loop thread, {Cpus} CPUs, {Workers} workers).")]
    private static partial void ListeningCore(ILogger logger, string url, int cpus, int workers);

    [LoggerMessage(4, LogLevel.Information, "Shutting down: {Open} connections open.")]
    private static partial void StoppingCore(ILogger logger, int open);

    [LoggerMessage(5, LogLevel.Information, "Stopped; {Abandoned} connections were closed at the shutdown timeout.")]
    private static partial void StoppedCore(ILogger logger, int abandoned);

    [LoggerMessage(6, LogLevel.Error, "Connection failed unexpectedly.")]
    private static partial void ConnectionFailedCore(ILogger logger, Exception e);
}
