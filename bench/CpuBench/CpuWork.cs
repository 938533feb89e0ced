using System.Globalization;

namespace SakeBench;

/// <summary>
/// The CPU-heavy unit of work of the spec's SC-002 ("100k iterations per request"), shared verbatim by
/// bench/CpuBench (Sake) and bench/KestrelCpu (linked source), so every server does exactly the same work.
/// </summary>
/// <remarks>
/// 64-bit FNV-1a over the four little-endian bytes of each iteration counter 0..99,999, folded into one running
/// hash: 400,000 dependent xor+multiply steps (about 0.3-0.5 ms on a current x86-64 core, the spec's ~400 µs).
/// The chain has no closed form and cannot be vectorized, and the result is written into the response, so
/// neither the JIT nor the AOT compiler can remove or shorten it. The answer is the same on every call, which
/// lets the bench check that all three servers ran the whole loop.
/// </remarks>
internal static class CpuWork
{
    /// <summary>Iterations per request (SC-002).</summary>
    public const int Iterations = 100_000;

    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Runs the loop and returns the hash.</summary>
    public static ulong Run()
    {
        ulong hash = OffsetBasis;
        for (uint i = 0; i < Iterations; i++)
        {
            hash = (hash ^ (i & 0xFF)) * Prime;
            hash = (hash ^ ((i >> 8) & 0xFF)) * Prime;
            hash = (hash ^ ((i >> 16) & 0xFF)) * Prime;
            hash = (hash ^ (i >> 24)) * Prime;
        }

        return hash;
    }

    /// <summary>The response body: the hash as 16 lowercase hex digits.</summary>
    public static string RunText() => Run().ToString("x16", CultureInfo.InvariantCulture);
}
