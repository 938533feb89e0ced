namespace Sake.Fuzzing;

/// <summary>
/// A broken invariant (wrong consumption, a limit not enforced, outcomes that depend on how the bytes were split).
/// Under afl-fuzz any unhandled exception is a crash; this type says the harness, not the runtime, noticed.
/// </summary>
internal sealed class InvariantViolationException : Exception
{
    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolationException(message);
        }
    }
}
