using System.Runtime.CompilerServices;

namespace Sake.Loop;

/// <summary>
/// <c>await loop.ResumeOnLoop()</c>: continues inline when already on the loop thread, otherwise posts the
/// continuation to the loop. Used after awaiting user code with <c>ConfigureAwait(false)</c>: user code normally
/// completes on the loop (so the runtime resumes without a queue round trip), but if it finished elsewhere the
/// runtime still gets back to the loop before touching the connection.
/// </summary>
internal readonly struct LoopAwaitable : ICriticalNotifyCompletion
{
    private readonly EventLoop _loop;

    public LoopAwaitable(EventLoop loop) => _loop = loop;

    public LoopAwaitable GetAwaiter() => this;

    public bool IsCompleted => _loop.IsOnLoop;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => _loop.Post(static s => ((Action)s!)(), continuation);

    public void UnsafeOnCompleted(Action continuation) => _loop.Post(static s => ((Action)s!)(), continuation);
}
