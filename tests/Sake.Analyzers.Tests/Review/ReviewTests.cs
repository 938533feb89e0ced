using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.CodeFixes.Loop;
using Sake.Analyzers.CodeFixes.Routing;
using Sake.Analyzers.CodeFixes.Workers;
using Sake.Analyzers.Loop;
using Sake.Analyzers.Routing;
using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Review;

public sealed class ReviewTests
{
    // ---- 1. AD0001: [Use] with no (or unbindable) arguments on the class of a [Worker] handler that reads Items.
    [Fact]
    public Task ItemsAnalyzer_DoesNotCrash_OnUseWithoutArguments() => Verify.Analyzer<WorkerItemsCannotCrossAnalyzer>("""
        using Sake;

        [{|CS1729:Use|}]
        public static partial class Profile
        {
            [Get("/me"), Worker]
            public static string Me(Context ctx) => (string)ctx.Items["user"]!;
        }
        """);

    // ---- 2. Use await: `return default;` in a ValueTask handler/middleware becomes `await default;` (CS8716).
    [Fact]
    public Task UseAwait_ReturnDefaultInValueTaskHandler() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static ValueTask A(Task save, Context ctx)
            {
                {|SAKE0021:save.Wait()|};
                ctx.Text("ok");
                return default;
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async ValueTask A(Task save, Context ctx)
            {
                await save;
                ctx.Text("ok");
            }
        }
        """);

    [Fact]
    public Task UseAwait_ReturnDefaultInRequestHandlerLambda() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static class Routes
        {
            public static void Map(RouteGroup app, Task save) =>
                app.Get("/a", ctx => { {|SAKE0021:save.Wait()|}; ctx.Text("ok"); return default; });
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static class Routes
        {
            public static void Map(RouteGroup app, Task save) =>
                app.Get("/a", async ctx => { await save; ctx.Text("ok"); });
        }
        """);

    // ---- 3. Use await inside `lock` (CS1996): the fix should not be offered.
    [Fact]
    public Task UseAwait_NotOfferedInsideLock() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            private static readonly object Gate = new();

            [Get("/a")]
            public static string A(Task<string> load)
            {
                lock (Gate)
                {
                    return {|SAKE0021:load.Result|};
                }
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            private static readonly object Gate = new();

            [Get("/a")]
            public static string A(Task<string> load)
            {
                lock (Gate)
                {
                    return {|SAKE0021:load.Result|};
                }
            }
        }
        """);

    // ---- 4. SAKE0017 false positive: a local function that captures nothing, not marked static, "captures 'this'" in a static method.
    [Fact]
    public Task Captures_NonStaticLocalFunctionCapturingNothing_IsNotReported() => Verify.Analyzer<WorkerLambdaCapturesAnalyzer>("""
        using Sake;

        public static class Routes
        {
            public static void Map(RouteGroup app)
            {
                app.Get("/sum", Sum).Worker();

                int Sum(int a, int b) => a + b;
            }
        }
        """);

    // ---- 5. Run on the worker pool turns a capturing loop lambda into a SAKE0017 error.
    [Fact]
    public Task RunOnWorkerPool_NotOfferedWhenTheLambdaCaptures() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, RunOnWorkerPoolCodeFixProvider>("""
        using System.IO;
        using Sake;

        public static class Routes
        {
            public static void Map(RouteGroup app, string root)
            {
                app.Get("/file", () => {|SAKE0021:File.ReadAllText(root)|});
            }
        }
        """, """
        using System.IO;
        using Sake;

        public static class Routes
        {
            public static void Map(RouteGroup app, string root)
            {
                app.Get("/file", () => {|SAKE0021:File.ReadAllText(root)|});
            }
        }
        """);

    // ---- 6. Add parameter: name already taken by a [FromQuery] parameter -> duplicate parameter (CS0100).
    [Fact]
    public Task AddParameter_NameTakenByFromQuery() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>("""
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/items/{id:int}")|}]
            public static string Item([FromQuery] int id) => "i";
        }
        """, """
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/items/{id:int}")|}]
            public static string Item([FromQuery] int id) => "i";
        }
        """);

    // ---- 7. A partial handler method gets SAKE0015 twice (once per part); the fix then edits only the defining part (CS8795/CS0759).
    [Fact]
    public Task RouteParameter_PartialMethodReportedOnce() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/users/{id:int}")|}]
            public static partial string User();

            public static partial string User() => "u";
        }
        """);

    // ---- 8. Fix all: two missing parameters of one handler (probe for merge problems).
    [Fact]
    public Task AddParameter_FixAllTwoParameters() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>("""
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:{|SAKE0015:Get("/a/{x}/{y:int}")|}|}]
            public static string A() => "a";
        }
        """, """
        using Sake;

        public static partial class Api
        {
            [Get("/a/{x}/{y:int}")]
            public static string A(string x, int y) => "a";
        }
        """);

    // ---- 8b. Two route attributes missing the same parameter: fix all.
    [Fact]
    public Task AddParameter_FixAllSameParameterTwoAttributes() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>("""
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/a/{id}")|}, {|SAKE0015:Delete("/a/{id}")|}]
            public static string A() => "a";
        }
        """, """
        using Sake;

        public static partial class Api
        {
            [Get("/a/{id}"), Delete("/a/{id}")]
            public static string A(string id) => "a";
        }
        """);

    // ---- 9. nameof(static field) in a worker handler is not a read.
    [Fact]
    public Task MutableStatic_NameofIsNotARead() => Verify.Analyzer<WorkerMutableStaticStateAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            private static int _hits;

            [Get("/a"), Worker]
            public static string A() => nameof(_hits);
        }
        """);

    // ---- Probes that found nothing (priority 2): all must stay silent.
    [Fact]
    public Task NoFalsePositives_WorkerAndNested() => Verify.Analyzer<BlockingCallOnLoopAnalyzer>("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Post("/w"), Worker]
            public static async Task<string> W(Stream body)
            {
                Thread.Sleep(10);
                await Task.Delay(1).ConfigureAwait(false);
                return File.ReadAllText("x");
            }

            [Get("/l")]
            public static async Task<int> L()
            {
                await Task.Run(() => Thread.Sleep(10));
                var t = Task.Run(() => File.ReadAllText("x").Length);
                return await t;
            }
        }
        """);

    [Fact]
    public Task NoFalsePositives_ConfigureAwaitInWorker() => Verify.Analyzer<ConfigureAwaitFalseOnLoopAnalyzer>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/w"), Worker]
            public static async Task<int> W() { await Task.Delay(1).ConfigureAwait(false); return 1; }
        }

        public static class Routes
        {
            public static void Map(RouteGroup app) =>
                app.Get("/x", async () => { await Task.Delay(1).ConfigureAwait(false); return 1; }).Worker();
        }
        """);

    [Fact]
    public Task NoFalsePositives_StaticReadonlyConstAndStreamOnLoop() => Verify.Analyzer<WorkerLambdaCapturesAnalyzer>("""
        using System.IO;
        using Sake;

        public static class Routes
        {
            private const int Max = 10;
            private static readonly string Prefix = "p";

            public static void Map(RouteGroup app)
            {
                const int local = 3;
                app.Get("/a", (int n) => Prefix + (n % Max + local)).Worker();
                app.Post("/b", (Stream body) => body.Length);
            }
        }
        """);

    [Fact]
    public Task NoFalsePositives_Sake0015WithContext() => Verify.Analyzer<RouteParameterNotBoundAnalyzer>("""
        using Sake;

        public static partial class Api
        {
            [Get("/a/{id}")]
            public static void A(Context ctx) => ctx.Text(ctx.Param("id"));
        }
        """);
}
