namespace Sake.Workers;

/// <summary>
/// One <see cref="Context.Items"/> entry. Only JSON primitives can cross; the type code keeps them exact, so an
/// <c>int</c> set by loop-side middleware is still an <c>int</c> in the worker (a bare JSON number would not be).
/// </summary>
internal sealed class WorkerItem
{
    public string Key { get; set; } = "";

    /// <summary>s string, b bool, i int, l long, d double, m decimal, n null.</summary>
    public string Type { get; set; } = "n";

    public string? Value { get; set; }
}
