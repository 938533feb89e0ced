namespace Sake.Workers;

/// <summary>Something about a request or response cannot cross the worker boundary (answered 500 with the message).</summary>
internal sealed class WorkerBoundaryException : Exception
{
    public WorkerBoundaryException(string message)
        : base(message)
    {
    }
}
