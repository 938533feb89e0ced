namespace Sake.Fuzzing;

/// <summary>
/// The sizes of successive reads and body output spans for one <see cref="FeedMode"/>. Deterministic for a seed,
/// so a failing case replays exactly (xorshift64*, no System.Random whose sequence may change between runtimes).
/// </summary>
internal struct Feed
{
    private readonly FeedMode _mode;
    private ulong _state;

    public Feed(FeedMode mode, ulong seed)
    {
        _mode = mode;
        _state = seed | 1;
    }

    public readonly bool Discard => _mode == FeedMode.RandomDiscard;

    /// <summary>How many bytes of <paramref name="total"/> have arrived after the next read.</summary>
    public int NextDelivered(int delivered, int total) => _mode switch
    {
        FeedMode.Whole => total,
        FeedMode.Bytewise => Math.Min(total, delivered + 1),
        _ => (int)Math.Min(total, delivered + 1 + (long)(NextRandom() % 23)),
    };

    /// <summary>Size of the span the chunked decoder writes body bytes into.</summary>
    public int NextOutputSize() => _mode switch
    {
        FeedMode.Whole => 1 << 16,
        FeedMode.Bytewise => 1,
        _ => 1 + (int)(NextRandom() % 40),
    };

    private ulong NextRandom()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }
}
