using Sake.Analyzers.Routing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Routing;

public sealed class RoutePatternNotConstantAnalyzerTests
{
    [Fact]
    public Task NonConstantPatternsAndPrefixesAreReported() => Verify.Analyzer<RoutePatternNotConstantAnalyzer>("""
        using Sake;

        public static class Routes
        {
            private static readonly string Users = "/users";

            public static void Map(SakeApp app, RequestHandler handler, string version, string method)
            {
                app.Get({|SAKE0016:Users|}, ctx => ctx.Text("a"));
                app.Post({|SAKE0016:"/v" + version|}, handler);
                app.Put({|SAKE0016:$"/{version}/a"|}, ctx => default);
                app.Head({|SAKE0016:Users|}, handler);
                app.Map(method, {|SAKE0016:Users|}, handler);
                app.Map(handler: handler, method: "GET", pattern: {|SAKE0016:Users|});
                app.Group({|SAKE0016:"/" + version|}).Options({|SAKE0016:Users|}, handler);
            }
        }
        """);

    [Fact]
    public Task ConstantPatternsAndTheDelegateOverloadsAreNotReported() => Verify.Analyzer<RoutePatternNotConstantAnalyzer>("""
        using Sake;

        public static class Routes
        {
            private const string Users = "/users";
            private static readonly string Dynamic = "/dynamic";

            public static void Map(SakeApp app, RequestHandler handler, string method)
            {
                app.Get(Users, ctx => ctx.Text("a"));
                app.Post($"{Users}/{{id}}", handler);
                app.Map(method, "/a", handler);
                app.Group("/api").Delete("/bad/", handler);

                // The generator cannot intercept these and reports SAKE0009 for them.
                app.Get(Dynamic, (int id) => "a");
                app.Patch(Dynamic, Handle);
            }

            private static string Handle(int id) => "b";
        }
        """);
}
