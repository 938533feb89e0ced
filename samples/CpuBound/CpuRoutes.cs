using Sake;

/// <summary>Every route of the sample, in both declaration styles (the tests map them the same way).</summary>
public static class CpuRoutes
{
    /// <summary>Registers the sample's routes on <paramref name="app"/>.</summary>
    /// <param name="app">The app or a group.</param>
    public static void Map(RouteGroup app)
    {
        app.MapMathApi();                                                      // attribute style (MathApi.cs)

        // Fluent style: the generator intercepts these calls and binds `iterations` from the query string.
        app.Get("/hash", (int? iterations, Context ctx) => new HashResult(Work.Hash(iterations ?? 100_000), ctx.InWorkerPool)).Worker();
        app.Get("/sleep/{ms:int}", async (int ms) =>
        {
            // I/O-like waiting stays on the loop: the thread is free for other requests meanwhile.
            await Task.Delay(Math.Clamp(ms, 0, 5_000));
            return $"slept {ms} ms";
        });
    }
}
