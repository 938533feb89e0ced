using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sake.Generators.Tests.Infrastructure;

namespace Sake.Generators.Tests;

/// <summary>Fluent <c>app.Get("/p", (int n) => …)</c> calls are intercepted at compile time.</summary>
public sealed class InterceptorTests
{
    private const string Program = """
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Sake;

        namespace App;

        public sealed record Fib(int N, long Value);

        [JsonSerializable(typeof(Fib))]
        internal sealed partial class AppJson : JsonSerializerContext;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("/fib/{n:int}", (int n) => new Fib(n, n * 2L)).Worker();
                app.Get("/hello/{name}", Hello);
                app.Post("/echo", async (Fib body, Context ctx) => { await Task.Yield(); return body; });
                var api = app.Group("/api");
                api.Get("/search", ([FromQuery(Name = "q")] string query, int page) => $"{query}:{page}");
                app.Get("/plain", ctx => ctx.Text("not intercepted: Action<Context> overload"));
            }

            public static string Hello(string name, int times) => name + times;
        }
        """;

    [Fact]
    public void LambdasAndMethodGroupsAreIntercepted()
    {
        var run = GeneratorHarness.RunGenerators(Program).AssertClean();
        var file = run.SakeFiles.Single(f => f.HintName == "Sake.Interceptors.g.cs");
        Assert.Equal(4, file.Source.Split("[global::System.Runtime.CompilerServices.InterceptsLocation(").Length - 1);

        // The route table holds the intercepted calls and the plain Action<Context> one alike.
        var table = run.SakeFiles.Single(f => f.HintName == "Sake.RouteTable.g.cs");
        Snapshot.Verify(nameof(InterceptorTests), [file, table]);
    }

    [Fact]
    public void MethodGroupsGroupsWorkersAndAsyncBodies()
    {
        var run = GeneratorHarness.RunGenerators("""
            using System.Threading;
            using System.Threading.Tasks;
            using Sake;

            namespace App;

            public sealed record Note(string Text, int Priority);

            public static class Handlers
            {
                public static Note Get(int id, [FromHeader(Name = "X-User")] string? user) => new($"{id} {user}", 1);
                internal static async ValueTask<string> Save(Note note, Context ctx, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    return note.Text;
                }
            }

            public static class Routes
            {
                public static void Map(SakeApp app)
                {
                    var notes = app.Group("/notes");
                    notes.Get("/{id:int}", Handlers.Get);
                    notes.Post("/", Handlers.Save).Worker();
                    notes.Delete("/{id:int}", (int id, Context ctx) => ctx.Status(204));
                    notes.Patch("/{id:int}", async (int id, Note note) => { await Task.Yield(); return note with { Priority = id }; });
                }
            }
            """).AssertClean();
        Snapshot.Verify(nameof(InterceptorTests), run.SakeFiles);
    }

    [Fact]
    public void WithoutTheFeatureThereAreNoInterceptorsAndOneClearError()
    {
        var options = GeneratorHarness.ParseOptions.WithFeatures([]);
        var compilation = GeneratorHarness.Compile(Program).RemoveAllSyntaxTrees()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(Program, options, path: "Source0.cs"));
        var driver = GeneratorHarness.CreateDriver().WithUpdatedParseOptions(options).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(SakeGenerator));
        Assert.Null(result.Exception);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "Sake.Interceptors.g.cs");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SAKE0010", d.Id);
        Assert.Equal(16, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void CallsThatCannotBeWiredAreSake0009WithTheReason()
    {
        var run = GeneratorHarness.RunGenerators("""
            using Sake;
            public sealed class Handlers { public string Instance(int n) => "x"; }
            public static class Routes
            {
                public static void Map(SakeApp app, string dynamicPattern, Handlers h)
                {
                    app.Get(dynamicPattern, (int n) => "a");
                    app.Get("/defaults/{n}", (int n, int page = 1) => "b");
                    app.Get("/instance/{n}", h.Instance);
                    app.Get("/bad/{n", (int n) => "c");
                }
            }
            """);
        Assert.Equal(
            [
                "SAKE0003@10: Route '/bad/{n' on 'the handler' is invalid: segment '{n' is not a parameter ('{name}', '{name:constraint}' or '{*name}')",
                "SAKE0009@7: This Get(…) call cannot be wired at compile time, so it would throw at startup: the pattern is not a compile-time constant string, so its route parameters are unknown",
                "SAKE0009@8: This Get(\"/defaults/{n}\", …) call cannot be wired at compile time, so it would throw at startup: the lambda's delegate type has no name (default parameter values, or ref/out/params parameters); declare the handler as a method of a partial class with [Get]/[Post]…",
                "SAKE0009@9: This Get(\"/instance/{n}\", …) call cannot be wired at compile time, so it would throw at startup: a method group handler must be a static, non-generic method that is public or internal; use a lambda for anything else",
            ],
            run.SakeDiagnostics.Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").Order());
        foreach (var r in run.Result.Results)
        {
            Assert.Null(r.Exception);
        }
    }

    [Fact]
    public void BindingErrorsInLambdasAreReportedAtTheLambda()
    {
        var run = GeneratorHarness.RunGenerators("""
            using Sake;
            public static class Routes
            {
                public static void Map(SakeApp app)
                {
                    app.Get("/x/{when}", (System.Uri when) => "a");
                }
            }
            """);
        var d = Assert.Single(run.SakeDiagnostics);
        Assert.Equal("SAKE0004", d.Id);
        Assert.Contains("Parameter 'when' of 'the handler of GET /x/{when}'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
