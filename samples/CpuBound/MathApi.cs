using Sake;

/// <summary>The sample's CPU-bound routes, declared with attributes.</summary>
public static partial class MathApi
{
    /// <summary>GET /fib/{n}: naive Fibonacci on a worker thread (fib(27) ≈ 300k calls).</summary>
    /// <param name="n">0..40, from the route.</param>
    /// <param name="ctx">The request, to report where it ran.</param>
    /// <returns>n, fib(n) and whether a worker ran it.</returns>
    [Get("/fib/{n:int}"), Worker]
    public static FibResult Fib(int n, Context ctx)
    {
        if ((uint)n > 40)
        {
            ctx.AbortWithError(400, "n must be 0..40");
            return new FibResult(n, -1, ctx.InWorkerPool);
        }

        return new FibResult(n, Work.Fibonacci(n), ctx.InWorkerPool);
    }
}

/// <summary>The CPU work itself: plain functions, the same whichever thread calls them.</summary>
public static class Work
{
    /// <summary>Naive recursive Fibonacci.</summary>
    /// <param name="n">The index.</param>
    /// <returns>fib(n).</returns>
    public static long Fibonacci(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);

    /// <summary>64-bit FNV-1a over the iteration counter (the spec's "100k iterations of work").</summary>
    /// <param name="iterations">How many rounds.</param>
    /// <returns>The hash, as hex.</returns>
    public static string Hash(int iterations)
    {
        ulong hash = 14695981039346656037UL;
        for (int i = 0; i < Math.Clamp(iterations, 1, 10_000_000); i++)
        {
            hash = (hash ^ (uint)i) * 1099511628211UL;
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The answer of /fib.</summary>
/// <param name="N">The index.</param>
/// <param name="Value">fib(N).</param>
/// <param name="InWorkerPool">True when a worker thread computed it.</param>
public sealed record FibResult(int N, long Value, bool InWorkerPool);

/// <summary>The answer of /hash.</summary>
/// <param name="Hash">The hash, as hex.</param>
/// <param name="InWorkerPool">True when a worker thread computed it.</param>
public sealed record HashResult(string Hash, bool InWorkerPool);

// No JsonSerializerContext: Sake's generator emits the metadata of FibResult and HashResult itself (web defaults).
