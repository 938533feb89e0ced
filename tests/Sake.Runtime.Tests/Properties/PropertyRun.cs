using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using PropertyCheck = FsCheck.Check;
using PropertyConfig = FsCheck.Config;

namespace Sake.Runtime.Tests.Properties;

/// <summary>
/// Runs an FsCheck property with a fixed seed, so every run checks the same cases, and throws on the first failure
/// with the case that failed. To explore beyond them: SAKE_PROPERTY_SEED (a number) picks other cases,
/// SAKE_PROPERTY_SCALE (a number) multiplies the case counts.
/// </summary>
internal static class PropertyRun
{
    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("SAKE_PROPERTY_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0x5A4E_F022_2026UL;

    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("SAKE_PROPERTY_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    public static void Holds<T>(Gen<T> gen, int count, Action<T> property)
    {
        var replay = FSharpOption<Replay>.Some(new Replay(new Rnd(Seed, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None));
        var config = PropertyConfig.QuickThrowOnFailure.WithMaxTest(count * Scale).WithQuietOnSuccess(true).WithReplay(replay);
        PropertyCheck.One(config, Prop.ForAll(Arb.From(gen), property));
    }

    public static void HoldsAsync<T>(Gen<T> gen, int count, Func<T, Task> property) =>
        Holds(gen, count, value => property(value).GetAwaiter().GetResult());
}
