using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Workers;

public sealed class WorkerRouteVisibilityAnalyzerTests
{
    [Fact]
    public Task WorkerOnABuilderKeptInAVariableOrPickedByAConditionalIsReported() => Verify.Analyzer<WorkerRouteVisibilityAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, bool heavy)
            {
                var route = app.Get("/a", ctx => ctx.Text("a"));
                {|SAKE0023:route.Worker()|};
                var b = app.Get("/b", ctx => ctx.Text("b"));
                var c = app.Get("/c", ctx => ctx.Text("c"));
                {|SAKE0023:(heavy ? b : c).Worker()|};
                {|SAKE0023:Make(app).Worker()|};
            }

            private static RouteBuilder Make(SakeApp app) => app.Get("/d", ctx => ctx.Text("d"));
        }
        """);

    [Fact]
    public Task WorkerChainedOntoTheRouteCallIsNotReported() => Verify.Analyzer<WorkerRouteVisibilityAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, RequestHandler audit)
            {
                app.Get("/a", ctx => ctx.Text("a")).Worker();
                app.Group("/api").Post("/b", ctx => ctx.Text("b")).Use(audit).Worker();
                (app.Map("GET", "/c", ctx => default)).Worker();
            }
        }
        """);
}
