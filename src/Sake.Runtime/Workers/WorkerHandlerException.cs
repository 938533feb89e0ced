namespace Sake;

/// <summary>
/// A worker route's handler threw. The exception object cannot cross the worker boundary, so this one is
/// rethrown on the loop in its place, carrying the original type name and message: loop-side middleware and
/// <see cref="Middleware.Recovery"/> handle it as they would the original.
/// </summary>
public sealed class WorkerHandlerException : Exception
{
    private readonly string? _workerStackTrace;

    /// <summary>Creates the loop-side stand-in for an exception thrown on a worker.</summary>
    public WorkerHandlerException(string originalType, string message, string? workerStackTrace = null)
        : base(message)
    {
        OriginalType = originalType;
        _workerStackTrace = workerStackTrace;
    }

    /// <summary>The full name of the exception type the handler threw.</summary>
    public string OriginalType { get; }

    /// <summary>The worker's stack trace of the original exception, then the loop's.</summary>
    public override string? StackTrace =>
        _workerStackTrace is null ? base.StackTrace : $"{_workerStackTrace}{Environment.NewLine}   --- rethrown on the event loop ---{Environment.NewLine}{base.StackTrace}";
}
