namespace Sake.Loop;

/// <summary>
/// Brings every continuation that captured it back onto the loop thread: awaits on Task.Delay, HttpClient,
/// Task.Yield and the like resume on the loop, so handlers share state without locks.
/// </summary>
/// <remarks>
/// Two hazards follow from a single-threaded context and are documented for users in docs/architecture.md:
/// <c>ConfigureAwait(false)</c> skips this context and continues on the thread pool, and blocking on a task that
/// needs the loop (<c>.Wait()</c>, <c>.Result</c>) deadlocks it, because the loop is the one thread that could run
/// the continuation.
/// <para>
/// The loop installs one instance for itself; each connection has its own (with <see cref="Owner"/> set), current
/// while its handler chain runs, so continuations posted back are attributed to that connection: the blocked-loop
/// detector names the route of whichever handler segment blocks, not only of the first one.
/// </para>
/// </remarks>
internal sealed class LoopSynchronizationContext : SynchronizationContext
{
    private readonly EventLoop _loop;

    public LoopSynchronizationContext(EventLoop loop, object? owner = null)
    {
        _loop = loop;
        Owner = owner;
    }

    /// <summary>The connection whose handler code runs under this context; null for the loop's own context.</summary>
    public object? Owner { get; }

    public override void Post(SendOrPostCallback d, object? state) => _loop.Post(d, state, Owner is null ? null : this);

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (_loop.IsOnLoop)
        {
            d(state);
            return;
        }

        using var done = new ManualResetEventSlim();
        Exception? error = null;
        _loop.Post(_ =>
        {
            try { d(state); }
            catch (Exception e) { error = e; }
            finally { done.Set(); }
        }, null);
        done.Wait();
        if (error is not null)
        {
            throw new AggregateException(error);
        }
    }

    public override SynchronizationContext CreateCopy() => this;
}
