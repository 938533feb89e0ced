using Sake.Analyzers.CodeFixes.Loop;
using Sake.Analyzers.Loop;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Loop;

public sealed class RunOnWorkerPoolCodeFixTests
{
    [Fact]
    public Task AnAttributeHandlerGetsWorker() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, RunOnWorkerPoolCodeFixProvider>("""
        using System.Threading;
        using Sake;

        public static partial class Api
        {
            /// <summary>Slow.</summary>
            [Get("/a")]
            public static string A()
            {
                {|SAKE0021:Thread.Sleep(100)|};
                {|SAKE0021:Thread.Sleep(100)|};
                return "a";
            }
        }
        """, """
        using System.Threading;
        using Sake;

        public static partial class Api
        {
            /// <summary>Slow.</summary>
            [Get("/a"), Worker]
            public static string A()
            {
                Thread.Sleep(100);
                Thread.Sleep(100);
                return "a";
            }
        }
        """);

    [Fact]
    public Task AFluentRouteCallGetsWorkerChained() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, RunOnWorkerPoolCodeFixProvider>("""
        using System.IO;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("/a", ctx => ctx.Text({|SAKE0021:File.ReadAllText("a.txt")|}));
                app.Get("/b", (string name) => {|SAKE0021:File.ReadAllText(name)|}).Use(ctx => ctx.Next());
            }
        }
        """, """
        using System.IO;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("/a", ctx => ctx.Text(File.ReadAllText("a.txt"))).Worker();
                app.Get("/b", (string name) => File.ReadAllText(name)).Worker().Use(ctx => ctx.Next());
            }
        }
        """);

    [Fact]
    public Task MiddlewareGetsNoWorkerFix() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, RunOnWorkerPoolCodeFixProvider>("""
        using System.Threading;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Use(ctx => { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); });
            }
        }
        """, """
        using System.Threading;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Use(ctx => { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); });
            }
        }
        """);
}
