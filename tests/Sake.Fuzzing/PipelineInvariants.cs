namespace Sake.Fuzzing;

/// <summary>
/// The properties the fuzzer and the property tests check on any byte stream: no exception but
/// <see cref="InvariantViolationException"/> escapes the parser (the runtime throws nothing: rejections are
/// return values); the outcome does not depend on how the bytes were split into reads or how large the body
/// output spans were, or on whether the body was kept or drained; and every accepted request, written back out,
/// parses to the same request.
/// </summary>
internal static class PipelineInvariants
{
    /// <summary>Small limits, so short inputs reach every limit; the parser's own minimums (Config.Validate) allow them.</summary>
    public static readonly Config Small = new()
    {
        MaxRequestLineSize = 64,
        MaxRequestHeadersTotalSize = 128,
        MaxRequestHeaderCount = 4,
        MaxRequestBodySize = 64,
        MaxChunkExtensionLength = 8,
    };

    public static readonly Config Default = new();

    /// <summary>Room for a re-serialized head, which may be longer than the original ("a:b" becomes "a: b").</summary>
    private static readonly Config Roomy = new()
    {
        MaxRequestLineSize = 1 << 20,
        MaxRequestHeadersTotalSize = 1 << 20,
        MaxRequestHeaderCount = 10_000,
        MaxRequestBodySize = 1 << 24,
    };

    /// <summary>Checks everything under both limit sets; returns the outcome under the default limits.</summary>
    public static PipelineResult Check(ReadOnlySpan<byte> input, ulong seed)
    {
        CheckUnder(input, Small, seed);
        return CheckUnder(input, Default, seed);
    }

    public static PipelineResult CheckUnder(ReadOnlySpan<byte> input, Config limits, ulong seed)
    {
        var whole = RequestPipeline.Run(input, limits, FeedMode.Whole, seed);
        string expected = whole.Describe();
        Same(expected, RequestPipeline.Run(input, limits, FeedMode.Bytewise, seed).Describe(), "one byte per read");
        Same(expected, RequestPipeline.Run(input, limits, FeedMode.Random, seed).Describe(), $"random reads (seed {seed})");
        Same(whole.Describe(withBody: false), RequestPipeline.Run(input, limits, FeedMode.RandomDiscard, seed).Describe(withBody: false), $"random reads, body drained (seed {seed})");
        foreach (var request in whole.Requests)
        {
            CheckRoundTrip(request, (int)(seed % 7) + 1);
        }

        return whole;
    }

    /// <summary>Written back out (in one chunk, then in small chunks when chunked) and parsed again: the same request.</summary>
    public static void CheckRoundTrip(PipelineRequest request, int chunkSize)
    {
        string expected = request.Describe();
        foreach (int size in request.Chunked ? [int.MaxValue, chunkSize] : new[] { int.MaxValue })
        {
            var bytes = RequestSerializer.Serialize(request, size);
            var again = RequestPipeline.Run(bytes, Roomy, FeedMode.Whole, 1);
            InvariantViolationException.Check(
                again.Requests.Count == 1 && again.End == (request.KeepAlive ? PipelineEnd.Clean : PipelineEnd.Closed) && again.Consumed == bytes.Length,
                $"re-serialized request did not parse back as one request:\n{expected}\ngot:\n{again.Describe()}");
            Same(expected, again.Requests[0].Describe(), "re-serialized");
        }
    }

    private static void Same(string expected, string actual, string how)
    {
        InvariantViolationException.Check(expected == actual, $"outcome differs with {how}:\nwhole input:\n{expected}\n{how}:\n{actual}");
    }
}
