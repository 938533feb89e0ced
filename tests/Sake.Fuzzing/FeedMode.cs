namespace Sake.Fuzzing;

/// <summary>How <see cref="RequestPipeline"/> hands the input to the parser: the same bytes must give the same outcome under every mode.</summary>
internal enum FeedMode
{
    /// <summary>Everything in one read, one large body output span: the common case.</summary>
    Whole,

    /// <summary>One byte per read and a one-byte body output span: every split point at once.</summary>
    Bytewise,

    /// <summary>Reads and output spans of pseudo-random sizes (from a seed), body drained instead of kept.</summary>
    RandomDiscard,

    /// <summary>Reads and output spans of pseudo-random sizes (from a seed), body kept.</summary>
    Random,
}
