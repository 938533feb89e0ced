using Sake.Analyzers.Routing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Routing;

public sealed class DuplicateFluentRouteAnalyzerTests
{
    [Fact]
    public Task EquivalentRoutesOnOneReceiverAreReportedAtBothCalls() => Verify.Analyzer<DuplicateFluentRouteAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, RequestHandler h)
            {
                app.Get({|SAKE0007:"/users/{id:int}"|}, h);
                app.Get("/users/{name}", h);
                app.Get({|SAKE0007:"/USERS/{userId:int}"|}, h).Worker();
                app.Map("POST", {|SAKE0007:"/items"|}, h);
                app.Post({|SAKE0007:"/Items"|}, h);
            }
        }
        """);

    [Fact]
    public Task BranchesOtherMethodsOtherReceiversAndGroupsAreNotReported() => Verify.Analyzer<DuplicateFluentRouteAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, SakeApp admin, RequestHandler h, bool heavy)
            {
                if (heavy)
                {
                    app.Get("/report", h).Worker();
                }
                else
                {
                    app.Get("/report", h);
                }

                app.Get("/a", h);
                app.Post("/a", h);
                admin.Get("/a", h);
                app.Group("/v1").Get("/a", h);
                app.Group("/v2").Get("/a", h);
            }
        }
        """);
}
