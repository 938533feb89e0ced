using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Routing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Routing;

public sealed class RouteParameterNotBoundAnalyzerTests
{
    [Fact]
    public Task FromRouteWithANameBindsThatRouteValue() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Orders
        {
            [Get("/orders/{orderId:int}")]
            public static string ById([FromRoute(Name = "orderId")] int id) => id.ToString();

            [{|SAKE0015:Get("/carts/{cartId:int}")|}]
            public static string Cart([FromRoute(Name = "other")] int cartId) => cartId.ToString();
        }
        """);

    [Fact]
    public Task AttributeRoutesWithAnUnboundParameterAreReported() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/users/{id:int}")|}]
            public static string User() => "u";

            [{|SAKE0015:Get("/files/{*path}")|}]
            public static string File(string name) => name;

            [Get("/a/{id}"), {|SAKE0015:Post("/b/{key}")|}]
            public static string Two(string id, string key2) => id;

            [{|SAKE0015:Route("HEAD", "/c/{id}")|}]
            public static string FromElsewhere([FromQuery] string id) => id;

            [{|SAKE0015:{|SAKE0015:Put("/d/{a}/{b:guid}")|}|}]
            public static void Neither([FromHeader] string a, [FromBody] System.Guid b) { }
        }
        """);

    [Fact]
    public Task FluentDelegateHandlersWithAnUnboundParameterAreReported() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;
        using System.Threading;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get({|SAKE0015:"/users/{id:int}"|}, (int userId) => "u");
                app.Post({|SAKE0015:"/orders/{orderId}"|}, Handle);
                app.Put(handler: () => "x", pattern: {|SAKE0015:"/x/{id}"|});
                app.Delete({|SAKE0015:"/c/{token}"|}, (CancellationToken token) => "c");
                app.Group("/api").Patch({|SAKE0015:"/p/{id}"|}, delegate (string other) { return other; });
            }

            private static string Handle(string id) => id;
        }
        """);

    [Fact]
    public Task TheMessageNamesTheParameterThePatternAndTheHandler() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>(
        """
        using Sake;

        public static partial class Api
        {
            [{|#0:Get("/users/{id:int}")|}]
            public static string User() => "u";

            public static void Map(SakeApp app)
            {
                app.Get({|#1:"/orders/{orderId}"|}, (int id) => "o");
            }
        }
        """,
        new DiagnosticResult("SAKE0015", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("id", "/users/{id:int}", "User"),
        new DiagnosticResult("SAKE0015", DiagnosticSeverity.Warning).WithLocation(1).WithArguments("orderId", "/orders/{orderId}", "(int id) => …"));

    [Fact]
    public Task BoundParametersAreNotReported() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [Get("/users/{ID:int}/files/{*path}")]
            public static string User(int id, string Path, [FromQuery] string q) => Path;

            [Get("/")]
            public static string Root() => "r";

            [Get("/a/{id}"), Post("/b/{id}")]
            public static string Both(string id) => id;

            public static void Map(SakeApp app, System.Delegate any)
            {
                app.Get("/users/{id:int}", (int id) => "u");
                app.Post("/orders/{orderId}", Handle);
                app.Put("/x/{id}", any);
            }

            private static string Handle(string orderId) => orderId;
        }
        """);

    [Fact]
    public Task HandlersThatTakeTheContextAreNotReported() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [Get("/users/{id:int}")]
            public static string User(Context ctx) => ctx.Param("id") ?? "";

            public static void Map(SakeApp app)
            {
                app.Get("/a/{id}", ctx => ctx.Text(ctx.Param("id") ?? ""));
                app.Post("/b/{id}", (Context ctx, int other) => "b");
                app.Put("/c/{id}", Handle);
            }

            private static string Handle(Context ctx) => "c";
        }
        """);

    [Fact]
    public Task InvalidOrNonConstantPatternsAreLeftToOtherDiagnostics() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [Get("/users/{id:integer}")]
            public static string User() => "u";

            public static void Map(SakeApp app, string pattern)
            {
                app.Get("/a/{id}/", () => "a");
                app.Get(pattern, () => "b");
            }
        }
        """);
}
