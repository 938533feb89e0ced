// Every mistake Sake reports, one or more per diagnostic ID (the comment names it). C# 10 on purpose (SAKE0013).
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Sake;

namespace Mistakes;

public sealed record FibResult(int N, Func<int> Callback);

public sealed class Profile
{
    public string Name { get; set; } = "";
}

// SAKE0001: not partial.
public static class NotPartial
{
    [Get("/not-partial")]
    public static string Index() => "x";
}

public static partial class Api
{
    private static int _hits;

    // SAKE0002: not static.
    [Get("/instance")]
    public static string Instance() => "see InstanceApi";

    // SAKE0003: invalid pattern.
    [Get("/files/{*path}/meta")]
    public static string Meta(string path) => path;

    // SAKE0004: two bodies.
    [Post("/orders")]
    public static string Orders(Profile first, [FromBody] Profile second) => "x";

    // SAKE0005: unsupported return.
    [Get("/callback")]
    public static Action Callback() => () => { };

    // SAKE0006: a payload member that cannot be serialized.
    [Get("/fib")]
    public static FibResult Fib() => new(1, () => 1);

    // SAKE0007: two equivalent routes (reported at both).
    [Get("/users/{id:int}")]
    public static string ById(int id) => "a";

    [Get("/USERS/{userId:int}")]
    public static string Other(int userId) => "b";

    // SAKE0011: [Use] naming something that is not middleware.
    [Get("/admin"), Use("Missing")]
    public static string Admin() => "admin";

    // SAKE0015: {tenant} is bound by no parameter.
    [Get("/tenants/{tenant}/report")]
    public static string Report() => "report";

    // SAKE0018: a connection-bound parameter on a worker.
    [Post("/upload"), Worker]
    public static string Upload(Stream body) => "x";

    // SAKE0019: mutable static state on a worker.
    [Get("/hits"), Worker]
    public static string Hits() => (++_hits).ToString();

    // SAKE0020: middleware stores an object in Items that a worker handler reads.
    [Get("/profile"), Worker, Use(nameof(LoadProfile))]
    public static string ProfileName(Context ctx) => ctx.Items["profile"]?.ToString() ?? "";

    public static ValueTask LoadProfile(Context ctx)
    {
        ctx.Items["profile"] = new Profile { Name = "ada" };
        return ctx.Next();
    }

    // SAKE0021: a blocking call on the loop.
    [Get("/slow")]
    public static string Slow()
    {
        Thread.Sleep(100);
        return "slow";
    }

    // SAKE0022: ConfigureAwait(false) in a loop handler.
    [Get("/later")]
    public static async Task<string> Later()
    {
        await Task.Delay(1).ConfigureAwait(false);
        return "later";
    }
}

public partial class InstanceApi
{
    // SAKE0002: not static.
    [Get("/instance-method")]
    public string Index() => "x";
}

public static partial class Outer
{
    // SAKE0008: not reachable by generated code.
    private static partial class Hidden
    {
        [Get("/hidden")]
        public static string Index() => "x";
    }
}

// SAKE0012: generic.
public static partial class Generic<T>
{
    [Get("/generic")]
    public static string Index() => typeof(T).Name;
}

public static class Fluent
{
    public static void Map(SakeApp app, string dynamicPattern, RequestHandler handler)
    {
        // SAKE0009: not interceptable (the pattern is not a constant).
        app.Get(dynamicPattern, (int n) => n.ToString());

        // SAKE0010: interceptors are not enabled (Sake.Generators.props is not imported).
        app.Get("/square/{n:int}", (int n) => (n * n).ToString());

        // SAKE0003 (analyzer): an invalid pattern on a RequestHandler route.
        app.Get("/bad//pattern", handler);

        // SAKE0016: a pattern that is not a constant.
        app.Get(dynamicPattern, handler);

        // SAKE0017: a worker lambda that captures state.
        int counter = 0;
        app.Get("/count", ctx => { counter++; ctx.Text(counter.ToString()); }).Worker();

        // SAKE0023: .Worker() out of the generator's sight.
        var route = app.Get("/later-worker", handler);
        route.Worker();
    }
}
