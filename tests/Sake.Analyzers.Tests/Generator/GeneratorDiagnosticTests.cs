using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Generator;

/// <summary>
/// The diagnostics Sake's generator raises, in markup: each ID with a case that reports it and one that does not.
/// (The generator's own tests check the exact messages; these pin the locations and the one-reporter rule.)
/// </summary>
public sealed class GeneratorDiagnosticTests
{
    [Fact]
    public Task Sake0001ANonPartialHandlerClass() => Verify.Generator("""
        using Sake;

        public static class {|SAKE0001:Api|}
        {
            [Get("/a")] public static string A() => "a";
        }

        public static class Outer
        {
            public static partial class {|SAKE0001:Inner|}
            {
                [Get("/b")] public static string B() => "b";
            }
        }
        """);

    [Fact]
    public Task Sake0001NotForAPartialOne() => Verify.Generator("""
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static string A() => "a";
        }
        """);

    [Fact]
    public Task Sake0002AnInstanceHandler() => Verify.Generator("""
        using Sake;

        public partial class Api
        {
            [Get("/a")] public string {|SAKE0002:A|}() => "a";
            [Get("/b")] public static string B() => "b";
        }
        """);

    [Fact]
    public Task Sake0003InvalidPatterns() => Verify.Generator("""
        using Sake;

        public static partial class Api
        {
            [{|SAKE0003:Get("/a/{id")|}] public static string A() => "a";
            [{|SAKE0003:Get("/b//c")|}] public static string B() => "b";
            [{|SAKE0003:Get("/c/{x:number}")|}] public static string C(string x) => x;
            [{|SAKE0003:Get("/d/{x}/{X}")|}] public static string D(string x) => x;
            [{|SAKE0003:Get("/e/{*rest}/more")|}] public static string E(string rest) => rest;
            [Get("/ok/{id:int}/{*rest}")] public static string Ok(int id, string rest) => rest;
        }
        """);

    [Fact]
    public Task Sake0004ParametersThatCannotBeBound() => Verify.Generator("""
        using System.Threading;
        using Sake;

        public sealed record Payload(string Name);

        public static partial class Api
        {
            [Post("/a/{id}")] public static string A(System.Action {|SAKE0004:id|}) => "a";
            [Post("/b")] public static string B(Payload first, [FromBody] Payload {|SAKE0004:second|}) => "b";
            [Get("/c")] public static string C(ref int {|SAKE0004:n|}) => "c";
            [Get("/ok/{id:int}")] public static string Ok(int id, string? q, CancellationToken ct, Context ctx) => "ok";
        }
        """);

    [Fact]
    public Task Sake0004AFromRouteParameterNoRouteDeclares() => Verify.Generator("""
        using Sake;

        public static partial class Api
        {
            [Get("/users/{id:int}")] public static string A([FromRoute] int {|SAKE0004:userId|}) => "a";
            [Get("/x/{id}"), Get("/y")] public static string B([FromRoute] string {|SAKE0004:id|}) => "b";
            [Get("/orders/{orderId:int}")] public static string Ok([FromRoute(Name = "orderId")] int id) => id.ToString();
        }
        """);

    [Fact]
    public Task Sake0005UnsupportedReturnTypes() => Verify.Generator("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static System.Action {|SAKE0005:A|}() => () => { };
            [Get("/b")] public static async void {|SAKE0005:B|}() => await Task.Yield();
            [Get("/c")] public static dynamic {|SAKE0005:C|}() => 1;
            [Get("/d")] public static System.Span<byte> {|SAKE0005:D|}() => default;
            [Get("/ok")] public static Task<string> Ok() => Task.FromResult("ok");
        }

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("/e", {|SAKE0005:() => new { X = 1 }|});
                app.Get("/f", async () => { await Task.Yield(); });
                app.Get("/ok2", async () => { await Task.Yield(); return "ok"; });
            }
        }
        """);

    [Fact]
    public Task Sake0006APayloadMemberThatCannotBeSerialized() => Verify.Generator("""
        using Sake;

        public sealed record FibResult(int N, System.Func<int> Callback);
        public sealed record Fine(int N, string Text);

        public static partial class Api
        {
            [Get("/a")] public static FibResult {|SAKE0006:A|}() => new(1, () => 1);
            [Get("/ok")] public static Fine Ok() => new(1, "x");
        }
        """);

    [Fact]
    public Task Sake0007IsReportedAtBothDeclarations() => Verify.Generator("""
        using Sake;

        public static partial class Users
        {
            [Get("/users/{id:int}")] public static string {|SAKE0007:ById|}(int id) => "a";
            [Get("/USERS/{userId:int}")] public static string {|SAKE0007:Other|}(int userId) => "b";
            [Get("/users/{name}")] public static string ByName(string name) => "c";
        }
        """);

    [Fact]
    public Task Sake0008AClassGeneratedCodeCannotReach() => Verify.Generator("""
        using Sake;

        public static partial class Outer
        {
            private static partial class {|SAKE0008:Hidden|}
            {
                [Get("/a")] public static string A() => "a";
            }

            internal static partial class Visible
            {
                [Get("/b")] public static string B() => "b";
            }
        }
        """);

    [Fact]
    public Task Sake0009AFluentCallThatCannotBeIntercepted() => Verify.Generator("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, string pattern, System.Delegate handler)
            {
                {|SAKE0009:app.Get(pattern, (int n) => n.ToString())|};
                {|SAKE0009:app.Get("/b", handler)|};
                app.Get("/ok/{n:int}", (int n) => n.ToString());
            }
        }
        """);

    [Fact]
    public Task Sake0010InterceptorsNotEnabled() => Verify.Generator(
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                {|SAKE0010:app.Get("/a/{n:int}", (int n) => n.ToString())|};
                app.Get("/b/{n:int}", (int n) => n.ToString());
            }
        }
        """,
        new CSharpParseOptions(LanguageVersion.CSharp13),
        null);

    [Fact]
    public Task Sake0010NotWhenInterceptorsAreEnabled() => Verify.Generator("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app) => app.Get("/a/{n:int}", (int n) => n.ToString());
        }
        """);

    [Fact]
    public Task Sake0011UseNamingSomethingThatIsNotMiddleware() => Verify.Generator("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a"), {|SAKE0011:Use("Missing")|}] public static string A() => "a";
            [Get("/b"), {|SAKE0011:Use(nameof(NotMiddleware))|}] public static string B() => "b";
            [Get("/ok"), Use(nameof(Audit))] public static string Ok() => "ok";

            public static ValueTask Audit(Context ctx) => default;
            public static string NotMiddleware(Context ctx) => "";
        }
        """);

    [Fact]
    public Task Sake0012GenericHandlerClasses() => Verify.Generator("""
        using Sake;

        public static partial class {|SAKE0012:Api|}<T>
        {
            [Get("/a")] public static string A() => "a";
        }

        public partial class Outer<T>
        {
            public static partial class {|SAKE0012:Inner|}
            {
                [Get("/b")] public static string B() => "b";
            }
        }

        public static partial class Plain
        {
            [Get("/c")] public static string C() => "c";
        }
        """);

    [Fact]
    public Task Sake0013LanguageVersionTooLow() => Verify.Generator(
        """
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static string {|SAKE0013:A|}() => "a";
            [Get("/b")] public static string B() => "b";
        }
        """,
        Verify.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10),
        null);

    [Fact]
    public Task Sake0013NotFromCSharp11() => Verify.Generator(
        """
        using Sake;

        public static partial class Api
        {
            [Get("/a/{n:int}")] public static string A(int n) => "a";
        }

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.MapApi();
                app.Get("/b/{n:int}", (int n) => n.ToString());
                app.Get("/c", ctx => ctx.Text("c"));
            }
        }
        """,
        Verify.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp11),
        null);

    [Fact]
    public Task Sake0013NotForPlainRouteCallsOnly() => Verify.Generator(
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, RequestHandler h) => app.Get("/c", h);
        }
        """,
        Verify.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10),
        null);

    [Fact]
    public Task Sake0014NotWithoutAFailure() => Verify.Generator(
        """
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static string A() => "a";
        }
        """,
        null,
        "build_property.SakeGeneratorFailureTest = ");

    [Fact]
    public Task Sake0014AnInternalFailureIsReportedNotSkipped() => Verify.Generator(
        """
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static string A() => "a";
        }
        """,
        null,
        "build_property.SakeGeneratorFailureTest = Emit",
        new DiagnosticResult("SAKE0014", DiagnosticSeverity.Error)
            .WithArguments("the routes of 'Api'", "InvalidOperationException: injected failure (SakeGeneratorFailureTest=Emit)"));
}
