using Microsoft.CodeAnalysis;
using Sake.Generators.Tests.Infrastructure;

namespace Sake.Generators.Tests;

/// <summary>Every mistake the generator can see is a build error with its own ID, at the declaration at fault.</summary>
public sealed class HandlerDiagnosticTests
{
    /// <summary>Runs the generator; returns "ID@line: message" for each Sake diagnostic (lines 1-based).</summary>
    private static List<string> Diagnose(string source)
    {
        var run = GeneratorHarness.RunGenerators(source);
        foreach (var r in run.Result.Results)
        {
            Assert.Null(r.Exception);
        }

        return run.SakeDiagnostics
            .Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }

    [Fact]
    public void AClassThatIsNotPartialIsSake0001()
    {
        var d = Assert.Single(Diagnose("""
            using Sake;
            public static class Api
            {
                [Get("/x")] public static string X() => "x";
            }
            """));
        Assert.StartsWith("SAKE0001@2: 'Api' declares routes", d);
    }

    [Fact]
    public void AContainingTypeThatIsNotPartialIsSake0001()
    {
        var d = Assert.Single(Diagnose("""
            using Sake;
            public static class Outer
            {
                public static partial class Api
                {
                    [Get("/x")] public static string X() => "x";
                }
            }
            """));
        Assert.StartsWith("SAKE0001@4: 'Api'", d);
    }

    [Fact]
    public void AnInstanceHandlerIsSake0002()
    {
        var d = Assert.Single(Diagnose("""
            using Sake;
            public partial class Api
            {
                [Get("/x")]
                public string X() => "x";
            }
            """));
        Assert.Equal("SAKE0002@5: Route handler 'X' must be static: Sake creates no instances of handler classes", d);
    }

    [Theory]
    [InlineData("x", "a pattern must start with '/'")]
    [InlineData("/a/", "a pattern must not end with '/'")]
    [InlineData("/a//b", "empty segment ('//')")]
    [InlineData("/a?b=1", "a pattern matches the path only: it cannot contain '?' or '#'")]
    [InlineData("/a{id}", "segment 'a{id}' mixes text and a parameter; a parameter must be a whole segment")]
    [InlineData("/{id:number}", "unknown constraint 'number' (int, long, bool, guid, double, decimal, alpha, datetime)")]
    [InlineData("/{*rest}/x", "the catch-all parameter '{*rest}' must be the last segment")]
    [InlineData("/{id}/{ID}", "parameter 'ID' appears twice")]
    [InlineData("/{1st}", "parameter name '1st' must be ASCII letters, digits and '_', not starting with a digit")]
    [InlineData("/a/./b", "dot segment '.' can never match a canonical path")]
    [InlineData("/a/..", "dot segment '..' can never match a canonical path")]
    [InlineData("/{naïve}", "parameter name 'naïve' must be ASCII letters, digits and '_', not starting with a digit")]
    [InlineData("/{id=5}", "default values ('{id=5}') are not supported")]
    [InlineData("/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}/{j}/{k}/{l}/{m}/{n}/{o}/{p}/{q}", "more than 16 parameters")]
    public void ABadPatternIsSake0003NamingTheProblemAsTheRuntimeWould(string pattern, string problem)
    {
        var d = Assert.Single(Diagnose($$"""
            using Sake;
            public static partial class Api
            {
                [Get("{{pattern}}")]
                public static string X() => "x";
            }
            """));
        Assert.Equal($"SAKE0003@4: Route '{pattern}' on 'X' is invalid: {problem}", d);
        // The runtime's own parser agrees: it throws at startup for each of these.
        Assert.Throws<ArgumentException>(() => new Sake.SakeApp().Get(pattern, (Sake.RequestHandler)(_ => default)));
    }

    [Fact]
    public void AnUnknownMethodIsSake0003()
    {
        var d = Assert.Single(Diagnose("""
            using Sake;
            public static partial class Api
            {
                [Route("BREW", "/coffee")]
                public static string X() => "x";
            }
            """));
        Assert.Equal("SAKE0003@4: Route '/coffee' on 'X' is invalid: 'BREW' is not a routable method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)", d);
    }

    [Fact]
    public void ParametersThatCannotBeBoundAreSake0004EachNamed()
    {
        var diagnostics = Diagnose("""
            using Sake;
            public sealed record A(int X);
            public sealed record B(int Y);
            [System.Text.Json.Serialization.JsonSerializable(typeof(A))]
            [System.Text.Json.Serialization.JsonSerializable(typeof(B))]
            internal sealed partial class J : System.Text.Json.Serialization.JsonSerializerContext;
            public static partial class Api
            {
                [Post("/two-bodies")]
                public static void TwoBodies(A a, B b) { }

                [Get("/route/{when}")]
                public static void Route(System.Uri when) { }

                [Get("/a/{id}"), Get("/b")]
                public static void Partial(int id) { }

                [Get("/ref")]
                public static void Ref(ref int n) { }

                [Get("/header")]
                public static void Header([FromHeader] System.Action callback) { }
            }
            """);
        Assert.Equal(
            [
                "SAKE0004@10: Parameter 'b' of 'TwoBodies' cannot be bound: only one parameter can come from the request body, and 'a' already does",
                "SAKE0004@13: Parameter 'when' of 'Route' cannot be bound: 'System.Uri' cannot be parsed from the route: use string, an enum, or a type that implements IParsable<T>",
                "SAKE0004@16: Parameter 'id' of 'Partial' cannot be bound: it is a route parameter in some of the method's routes but not in all of them",
                "SAKE0004@19: Parameter 'n' of 'Ref' cannot be bound: ref, out and in parameters cannot be bound",
                "SAKE0004@22: Parameter 'callback' of 'Header' cannot be bound: 'System.Action' cannot be parsed from a header: use string, an enum, or a type that implements IParsable<T>",
            ],
            diagnostics.Order());
    }

    [Fact]
    public void AReturnTypeSakeCannotWriteIsSake0005()
    {
        var d = Assert.Single(Diagnose("""
            using Sake;
            public static partial class Api
            {
                [Get("/x")]
                public static System.Func<int> X() => () => 1;
            }
            """));
        Assert.Equal("SAKE0005@5: 'X' returns 'System.Func<int>', which Sake cannot write: return void, string, byte[], Result, Result<T>, a JSON payload type, or Task/ValueTask of one", d);
    }

    [Fact]
    public void APayloadTypeThatCannotBeSerializedIsSake0006NamingTheMemberPathAndTheHandlerIsLeftOut()
    {
        var run = GeneratorHarness.RunGenerators("""
            using System;
            using System.Collections.Generic;
            using Sake;
            namespace Shop;
            public sealed record Callback(string Url, Func<int> OnDone);
            public sealed record Order(string Id, List<Callback> Hooks);
            public abstract class Shape { public int Sides { get; set; } }
            public static partial class Api
            {
                [Post("/orders")]
                public static string Place(Order order) => order.Id;

                [Get("/shape")]
                public static Shape Shape() => null!;

                [Get("/ok")]
                public static string Ok() => "ok";
            }
            """);
        Assert.Equal(
            [
                "SAKE0006: Parameter 'order' of 'Place' uses 'Shop.Order' as JSON, which cannot be serialized: Order.Hooks[].OnDone: delegates cannot be serialized",
                "SAKE0006: The result of 'Shape' uses 'Shop.Shape' as JSON, which cannot be serialized: Shape: 'Shape' is abstract or an interface; JSON needs a concrete type (or [JsonDerivedType] attributes naming the concrete ones)",
            ],
            run.SakeDiagnostics.Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").Order());
        // The rest of the class still generates, and compiles.
        Assert.Empty(run.CompileErrors);
        var file = run.SakeFiles.Single(f => f.HintName == "Shop.Api.Routes.g.cs").Source;
        Assert.Contains("\"/ok\"", file);
        Assert.DoesNotContain("\"/orders\"", file);
    }

    [Fact]
    public void PayloadsSakeCannotDescribeYetAreSake0006NotSilentlyWrong()
    {
        var run = GeneratorHarness.RunGenerators("""
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using Sake;
            namespace P;
            public abstract class Shape { public int Id { get; set; } }
            public sealed class NeedsArgs : JsonConverter<Color> { public NeedsArgs(int x) { } public override Color Read(ref System.Text.Json.Utf8JsonReader r, System.Type t, System.Text.Json.JsonSerializerOptions o) => default; public override void Write(System.Text.Json.Utf8JsonWriter w, Color v, System.Text.Json.JsonSerializerOptions o) { } }
            public sealed class Styled { [JsonConverter(typeof(NeedsArgs))] public Color Color { get; set; } }
            public enum Color { Red }
            public sealed class Open { [JsonExtensionData] public Dictionary<string, object>? Rest { get; set; } }
            public sealed class Pair { public KeyValuePair<string, int> Entry { get; set; } }
            public sealed class Twice { [JsonConstructor] public Twice() { } [JsonConstructor] public Twice(int a) { } public int A { get; set; } }
            public static partial class Api
            {
                private sealed record Hidden(int X);
                [Get("/shape")] public static Shape GetShape() => null!;
                [Get("/styled")] public static Styled GetStyled() => new();
                [Get("/open")] public static Open GetOpen() => new();
                [Get("/pair")] public static Pair GetPair() => new();
                [Get("/twice")] public static Twice GetTwice() => new();
                [Get("/hidden")] public static string GetHidden() => "x";
                [Post("/hidden")] private static int PostHidden(Hidden h) => h.X;
            }
            """);
        Assert.Equal(
            string.Join("\n", new[]
            {
                "Parameter 'h' of 'PostHidden' uses 'P.Api.Hidden' as JSON, which cannot be serialized: Hidden: 'Hidden' is private, protected or file-local, so generated metadata cannot name it; make it internal or public",
                "The result of 'GetOpen' uses 'P.Open' as JSON, which cannot be serialized: Open.Rest: [JsonExtensionData] is not supported by Sake's generated metadata yet; list 'Open' in a JsonSerializerContext",
                "The result of 'GetPair' uses 'P.Pair' as JSON, which cannot be serialized: Pair.Entry: KeyValuePair needs System.Text.Json's converter; list the type in a JsonSerializerContext",
                "The result of 'GetShape' uses 'P.Shape' as JSON, which cannot be serialized: Shape: 'Shape' is abstract or an interface; JSON needs a concrete type (or [JsonDerivedType] attributes naming the concrete ones)",
                "The result of 'GetStyled' uses 'P.Styled' as JSON, which cannot be serialized: Styled.Color: the converter 'NeedsArgs' needs a public parameterless constructor",
                "The result of 'GetTwice' uses 'P.Twice' as JSON, which cannot be serialized: Twice: 'Twice' has more than one [JsonConstructor]",
            }),
            string.Join("\n", run.SakeDiagnostics.Where(d => d.Id == "SAKE0006").Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order()));
        Assert.Empty(run.CompileErrors);
    }

    [Fact]
    public void TwoDeclarationsOfOneRouteInOneClassAreSake0007NamingBoth()
    {
        var diagnostics = Diagnose("""
            using Sake;
            public static partial class Users
            {
                [Get("/users/{id:int}")]
                public static string ById(int id) => "a";

                [Get("/USERS/{userId:int}")]
                public static string Other(int userId) => "b";

                [Get("/users/{name}")]
                public static string ByName(string name) => "c";
            }

            // The same pattern in another class is not a conflict: each class may be mapped under its own group.
            public static partial class Admins
            {
                [Get("/users/{id:int}")]
                public static string ById(int id) => "d";
            }
            """);
        // At both declarations, each naming the other.
        Assert.Equal(
            [
                "SAKE0007@5: Route GET \"/users/{id:int}\" conflicts with GET \"/USERS/{userId:int}\", which is already registered: they match the same paths (declared by 'Users.ById' and by 'Users.Other')",
                "SAKE0007@8: Route GET \"/USERS/{userId:int}\" conflicts with GET \"/users/{id:int}\", which is already registered: they match the same paths (declared by 'Users.Other' and by 'Users.ById')",
            ],
            diagnostics.Order(StringComparer.Ordinal).ToArray());

        // The runtime says the same at startup for conflicts the compiler cannot see (other assemblies, groups).
        var app = new Sake.SakeApp();
        app.Get("/users/{id:int}", (Sake.RequestHandler)(_ => default));
        app.Group("/USERS").Get("/{userId:int}", (Sake.RequestHandler)(_ => default));
        var e = Assert.Throws<ArgumentException>(() => app.StartAsync("http://127.0.0.1:0").GetAwaiter().GetResult());
        Assert.Contains("Route GET \"/USERS/{userId:int}\" conflicts with GET \"/users/{id:int}\", which is already registered: they match the same paths", e.Message);
    }

    [Fact]
    public void ANullPatternIsSake0003()
    {
        var d = Assert.Single(Diagnose("""
            using Sake;
            public static partial class Api
            {
                [Get(null!)]
                public static string X() => "x";
            }
            """));
        Assert.Equal("SAKE0003@4: Route 'null' on 'X' is invalid: the method and the pattern must not be null", d);
    }

    [Fact]
    public void AHandlerClassTheExtensionCannotReachIsSake0008()
    {
        var diagnostics = Diagnose("""
            using Sake;
            public static partial class Outer
            {
                private static partial class Hidden
                {
                    [Get("/a")] public static string A() => "a";
                    [Get("/b")] public static string B() => "b";
                }
            }
            file static partial class Local
            {
                [Get("/c")] public static string C() => "c";
            }
            """);
        Assert.Equal(
            [
                "SAKE0008@10: 'Local' declares routes, but 'Local' is private, protected or file-local: the generated Map extension outside it could not reach it; make it public or internal",
                "SAKE0008@4: 'Hidden' declares routes, but 'Hidden' is private, protected or file-local: the generated Map extension outside it could not reach it; make it public or internal",
            ],
            diagnostics.Order());
    }

    [Fact]
    public void NullableContextOrTokenParametersAreSake0004NotAJsonError()
    {
        var diagnostics = Diagnose("""
            using Sake;
            public static partial class Api
            {
                [Get("/a")] public static void A(System.Threading.CancellationToken? ct) { }
            }
            """);
        Assert.Equal("SAKE0004@4: Parameter 'ct' of 'A' cannot be bound: take a CancellationToken, not a CancellationToken?: every request has one", Assert.Single(diagnostics));
        GeneratorHarness.RunGenerators("""
            using Sake;
            public static partial class Api
            {
                [Get("/b")] public static string B(Context? ctx) => ctx!.Method;
            }
            """).AssertClean();
    }

    [Fact]
    public void MiddlewareThatIsNotAMatchingStaticMethodIsSake0011()
    {
        var diagnostics = Diagnose("""
            using System.Threading.Tasks;
            using Sake;
            public static class Other { private static ValueTask Hidden(Context ctx) => default; }
            [Use("Missing")]
            public static partial class Api
            {
                [Get("/a"), Use(nameof(WrongShape))]
                public static string A() => "a";

                [Get("/b"), Use(typeof(Other), "Hidden")]
                public static string B() => "b";

                private static Task WrongShape(Context ctx) => Task.CompletedTask;
            }
            """);
        Assert.Equal(
            [
                "SAKE0011@10: [Use] names 'Hidden' in 'Other', which is not a static, non-generic, public or internal method 'ValueTask Hidden(Context ctx)'",
                "SAKE0011@4: [Use] names 'Missing' in 'Api', which is not a static, non-generic, public or internal method 'ValueTask Missing(Context ctx)'",
                "SAKE0011@7: [Use] names 'WrongShape' in 'Api', which is not a static, non-generic, public or internal method 'ValueTask WrongShape(Context ctx)'",
            ],
            diagnostics.Order());
    }

    [Fact]
    public void HalfTypedCodeThrowsNothingAndReportsNothingExtra()
    {
        string[] sources =
        [
            """
            using Sake;
            public static partial class Api
            {
                [Get("/x/{id}")]
                public static string X(int id, Unknown u) => "x";
            }
            """,
            """
            using Sake;
            public static partial class Api
            {
                [Get(
                public static string X(int id
            }
            """,
            """
            using Sake;
            public static partial class Api
            {
                [Get("/x")]
                public static
            }
            """,
            """
            using Sake;
            public static partial class Api
            {
                [Get("/x")]
                public static Missing X() => default;
                [Post]
                public static void Y() { }
            }
            """,
        ];
        foreach (var source in sources)
        {
            var run = GeneratorHarness.RunGenerators(source);
            foreach (var r in run.Result.Results)
            {
                Assert.Null(r.Exception);
            }

            // The compiler reports what is wrong; Sake adds nothing but binding errors for unresolved types.
            Assert.All(run.SakeDiagnostics, d => Assert.Contains(d.Id, new[] { "SAKE0004", "SAKE0005" }));
        }
    }

    [Fact]
    public void EveryVerifiedSnapshotBelongsToATest()
    {
        var orphans = Snapshot.FindOrphans(typeof(HandlerDiagnosticTests).Assembly, Snapshot.SnapshotDirectory());
        Assert.Empty(orphans);
    }
}
