using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Routing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Routing;

public sealed class InvalidRoutePatternAnalyzerTests
{
    [Fact]
    public Task InvalidConstantPatternsOfTheNonDelegateOverloadsAreReported() => Verify.Analyzer<InvalidRoutePatternAnalyzer>("""
        using Sake;
        using System.Threading.Tasks;

        public static class Routes
        {
            private const string Users = "/users/";

            public static void Map(SakeApp app, RequestHandler handler)
            {
                app.Get({|SAKE0003:"users"|}, ctx => ctx.Text("a"));
                app.Post({|SAKE0003:Users|}, handler);
                app.Put({|SAKE0003:"/a/{id:integer}"|}, ctx => default);
                app.Delete({|SAKE0003:"/a//b"|}, ctx => ctx.Text("a"));
                app.Patch({|SAKE0003:"/a/{*rest}/b"|}, handler);
                app.Head({|SAKE0003:"/a?b"|}, handler);
                app.Options({|SAKE0003:"/a/x{id}"|}, handler);
                app.Get(handler: ctx => ctx.Text("a"), pattern: {|SAKE0003:"/a/{id}/{ID}"|});
                app.Group("/api").Get({|SAKE0003:$"{Users}x/"|}, handler);
                app.Get({|SAKE0003:null|}, handler);
            }
        }
        """);

    [Fact]
    public Task MapWithAnInvalidMethodOrPatternIsReported() => Verify.Analyzer<InvalidRoutePatternAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, RequestHandler handler, string pattern)
            {
                app.Map({|SAKE0003:"get"|}, "/a", handler);
                app.Map({|SAKE0003:"FETCH"|}, pattern, handler);
                app.Map("GET", {|SAKE0003:"/a/{id:int"|}, handler);
                app.Map({|SAKE0003:"TRACE"|}, {|SAKE0003:"a"|}, handler);
            }
        }
        """);

    [Fact]
    public Task InvalidGroupPrefixesAreReported() => Verify.Analyzer<InvalidRoutePatternAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, RequestHandler auth)
            {
                app.Group({|SAKE0003:"api"|});
                app.Group({|SAKE0003:"/api/"|}, auth);
                app.Group({|SAKE0003:""|});
                app.Group("/api").Group({|SAKE0003:"/v1/{version:nope}"|});
            }
        }
        """);

    [Fact]
    public Task TheMessageNamesThePatternTheCallAndTheProblem() => Verify.Analyzer<InvalidRoutePatternAnalyzer>(
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, RequestHandler handler)
            {
                app.Get({|#0:"/a/"|}, handler);
                app.Group("/x").Map("GET", {|#1:"/{1d}"|}, handler);
                app.Group({|#2:"v1"|});
            }
        }
        """,
        new DiagnosticResult("SAKE0003", DiagnosticSeverity.Error).WithLocation(0).WithArguments("/a/", "app.Get", "a pattern must not end with '/'"),
        new DiagnosticResult("SAKE0003", DiagnosticSeverity.Error).WithLocation(1).WithArguments("/{1d}", "Map", "parameter name '1d' must be ASCII letters, digits and '_', not starting with a digit"),
        new DiagnosticResult("SAKE0003", DiagnosticSeverity.Error).WithLocation(2).WithArguments("v1", "app.Group", "a group prefix must start with '/' and not end with '/'"));

    [Fact]
    public Task ValidAndNonConstantPatternsAreNotReported() => Verify.Analyzer<InvalidRoutePatternAnalyzer>("""
        using Sake;

        public static class Routes
        {
            private const string Root = "/";

            public static void Map(SakeApp app, RequestHandler handler, string dynamic)
            {
                app.Get("/", ctx => ctx.Text("a"));
                app.Post("/users/{id:int}/files/{*path}", handler);
                app.Head("/a/{flag:BOOL}", handler);
                app.Options(Root, handler);
                app.Map("OPTIONS", "/a/{id:guid}", handler);
                app.Map("GET", dynamic, handler);
                app.Get(dynamic, handler);
                var api = app.Group("/api");
                api.Group(Root).Group("/v1/{tenant:alpha}").Get("/x", handler);
                api.Group(dynamic);
            }
        }
        """);

    [Fact]
    public Task TheDelegateOverloadsAreLeftToTheGenerator() => Verify.Analyzer<InvalidRoutePatternAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("users/", (int id) => "a");
                app.Post("/a/{id:integer}", Handle);
            }

            private static string Handle(int id) => "b";
        }
        """);

    [Fact]
    public Task AttributeRoutesAreLeftToTheGenerator() => Verify.Analyzer<InvalidRoutePatternAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [Get("nope/")] public static string A() => "a";
            [Route("FETCH", "/b")] public static string B() => "b";
        }
        """);
}
