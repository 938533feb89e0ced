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
