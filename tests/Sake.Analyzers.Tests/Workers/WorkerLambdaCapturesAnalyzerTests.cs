using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Workers;

public sealed class WorkerLambdaCapturesAnalyzerTests
{
    [Fact]
    public Task LambdaCapturingALocalAndThisIsReportedWithWhatItCaptures() => Verify.Analyzer<WorkerLambdaCapturesAnalyzer>(
        """
        using Sake;

        public sealed class Routes
        {
            private int _hits;

            public void Map(SakeApp app)
            {
                int counter = 0;
                app.Get("/a", {|#0:ctx => { counter++; _hits++; ctx.Text("a"); }|}).Worker();
            }
        }
        """,
        new DiagnosticResult("SAKE0017", DiagnosticSeverity.Error).WithLocation(0).WithArguments("'counter' and 'this'"));

    [Fact]
    public Task CapturedParametersAnonymousMethodsAndInstanceMethodGroupsAreReported() => Verify.Analyzer<WorkerLambdaCapturesAnalyzer>("""
        using System.Threading.Tasks;
        using Sake;

        public sealed class Routes
        {
            public void Map(SakeApp app, string greeting, Routes other)
            {
                app.Get("/a", {|SAKE0017:ctx => ctx.Text(greeting)|}).Worker();
                app.Post("/b", {|SAKE0017:delegate (Context ctx) { ctx.Text(greeting); }|}).Use(ctx => ctx.Next()).Worker();
                app.Get("/c", {|SAKE0017:Handle|}).Worker();
                app.Get("/d", {|SAKE0017:this.Handle|}).Worker();
                app.Get("/e", {|SAKE0017:other.Handle|}).Worker();
                app.Get("/f/{n:int}", {|SAKE0017:(int n) => n + greeting.Length|}).Worker();
                app.Map("GET", "/g", {|SAKE0017:ctx => { ctx.Text(greeting); return default; }|}).Worker();
            }

            private ValueTask Handle(Context ctx) => default;
        }
        """);

    [Fact]
    public Task StaticLambdasOwnLocalsConstantsStaticMethodsAndLoopRoutesAreNotReported() => Verify.Analyzer<WorkerLambdaCapturesAnalyzer>("""
        using System.Linq;
        using System.Threading.Tasks;
        using Sake;

        public sealed class Routes
        {
            private int _hits;

            public void Map(SakeApp app, string greeting)
            {
                const string Hello = "hello";
                int counter = 0;
                app.Get("/a", static ctx => ctx.Text("a")).Worker();
                app.Get("/b", ctx => ctx.Text(Hello)).Worker();
                app.Get("/c", ctx => { var local = 1; var f = (int x) => x + local; ctx.Text(f(2).ToString()); }).Worker();
                app.Get("/d", Handle).Worker();
                app.Get("/e", (int[] xs) => xs.Select(x => x * 2).Sum()).Worker();
                app.Get("/f", ctx => { counter++; _hits++; ctx.Text(greeting); });
            }

            private static ValueTask Handle(Context ctx) => default;
        }
        """);

    // A local function captures what its body (and the local functions it calls) uses from outside, named as such,
    // not 'this'; one that uses nothing from outside is not reported even though it is not marked static.
    [Fact]
    public Task LocalFunctionsReportWhatTheyReallyCapture() => Verify.Analyzer<WorkerLambdaCapturesAnalyzer>(
        """
        using Sake;

        public static class Routes
        {
            public static void Map(RouteGroup app, string prefix)
            {
                int counter = 0;
                app.Get("/a", {|#0:Count|}).Worker();
                app.Get("/b", {|#1:Greet|}).Worker();
                app.Get("/c", {|#2:() => Count()|}).Worker();
                app.Get("/d", Pure).Worker();
                app.Get("/e", () => Pure(1, 2)).Worker();

                int Count() => ++counter;
                string Greet() => prefix + Count();
                int Pure(int a, int b) => a + b;
            }
        }

        public sealed class Instance
        {
            private int _hits;

            public void Map(RouteGroup app)
            {
                app.Get("/f", {|#3:Hits|}).Worker();
                app.Get("/g", Add).Worker();

                int Hits() => _hits;
                int Add(int a, int b) => a + b;
            }
        }
        """,
        new DiagnosticResult("SAKE0017", DiagnosticSeverity.Error).WithLocation(0).WithArguments("'counter'"),
        new DiagnosticResult("SAKE0017", DiagnosticSeverity.Error).WithLocation(1).WithArguments("'prefix' and 'counter'"),
        new DiagnosticResult("SAKE0017", DiagnosticSeverity.Error).WithLocation(2).WithArguments("'counter'"),
        new DiagnosticResult("SAKE0017", DiagnosticSeverity.Error).WithLocation(3).WithArguments("'this'"));
}
