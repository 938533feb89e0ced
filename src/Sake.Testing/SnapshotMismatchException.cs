namespace Sake.Testing;

/// <summary>
/// The generated code differs from its verified snapshots, a verified file is missing, or one is stale. The message
/// names the files, shows a line diff and says how to accept; every test framework reports it as a failure.
/// </summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception with its full report.</summary>
    /// <param name="message">What differs, with the diff.</param>
    public SnapshotMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public SnapshotMismatchException()
        : base("The generated code does not match its verified snapshots.")
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What differs.</param>
    /// <param name="innerException">The cause.</param>
    public SnapshotMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
