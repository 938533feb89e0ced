namespace Sake.Bench.Scenarios;

/// <summary>One benchmark scenario: runs, and fills its <see cref="ScenarioResult"/> (metrics, series, commands, notes).</summary>
internal interface IScenario
{
    /// <summary>Short name used on the command line and in file names.</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>Null when the scenario can run here; else why not (it is then recorded as skipped).</summary>
    string? Unavailable(BenchContext ctx);

    void Run(BenchContext ctx, ScenarioResult result);
}

internal static class Ports
{
    public const int Sake = 5181;
    public const int Kestrel = 5182;
}
