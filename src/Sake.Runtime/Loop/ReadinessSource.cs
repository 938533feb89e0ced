using System.Threading.Tasks.Sources;

namespace Sake.Loop;

/// <summary>
/// A reusable awaitable for "the socket may be readable/writable again". It is completed only on the loop
/// thread and runs the waiting continuation inline there: the awaiting code is runtime code that is already on
/// the loop, so posting it through the synchronization context would only add a queue round trip.
/// </summary>
internal sealed class ReadinessSource : IValueTaskSource
{
    private Action<object?>? _continuation;
    private object? _state;
    private short _version;
    private bool _signaled;

    public ValueTask WaitAsync()
    {
        _signaled = false;
        return new ValueTask(this, _version);
    }

    public bool IsWaiting => _continuation is not null;

    /// <summary>Wakes the waiter, if any. Without a waiter nothing is remembered: callers always retry the syscall first.</summary>
    public void Signal()
    {
        var continuation = _continuation;
        if (continuation is null)
        {
            _signaled = true;
            return;
        }

        _continuation = null;
        _signaled = true;
        continuation(_state);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _signaled ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (_signaled)
        {
            continuation(state);
            return;
        }

        if (_continuation is not null)
        {
            // Two waiters on one readiness source would silently lose one of them.
            throw new InvalidOperationException("A socket readiness wait is already pending.");
        }

        _state = state;
        _continuation = continuation;
    }

    public void GetResult(short token)
    {
        _version++;
        _state = null;
    }
}
