using Sake.Analyzers.CodeFixes.Loop;
using Sake.Analyzers.Loop;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Loop;

public sealed class UseAwaitCodeFixTests
{
    [Fact]
    public Task ResultInAnExpressionBodiedHandlerBecomesAnAsyncTaskOfT() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static string A(Task<string> task) => {|SAKE0021:task.Result|};
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<string> A(Task<string> task) => await task;
        }
        """);

    [Fact]
    public Task WaitInAVoidHandlerBecomesAnAwaitStatementAndTheHandlerReturnsTask() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using Sake;

        public static partial class Api
        {
            [Post("/a")]
            public static void A(System.Threading.Tasks.Task task, Context ctx)
            {
                // Wait for the write.
                {|SAKE0021:task.Wait()|};
                ctx.Text("done");
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Post("/a")]
            public static async Task A(System.Threading.Tasks.Task task, Context ctx)
            {
                // Wait for the write.
                await task;
                ctx.Text("done");
            }
        }
        """);

    [Fact]
    public Task GetResultInAnAsyncHandlerIsAwaitedWithParenthesesWhereNeeded() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<int> A(Task<string> task)
            {
                await Task.Yield();
                return {|SAKE0021:task.GetAwaiter().GetResult()|}.Length;
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<int> A(Task<string> task)
            {
                await Task.Yield();
                return (await task).Length;
            }
        }
        """);

    [Fact]
    public Task ReturnedTasksOfAHandlerMadeAsyncAreAwaited() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static Task<string> A(Task<string> task, bool quick)
            {
                if (quick)
                {
                    return Task.FromResult("quick");
                }

                var s = {|SAKE0021:task.Result|} + {|SAKE0021:task.Result|};
                return Task.FromResult(s);
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<string> A(Task<string> task, bool quick)
            {
                if (quick)
                {
                    return "quick";
                }

                var s = await task + await task;
                return s;
            }
        }
        """);

    [Fact]
    public Task LambdaHandlersAndMiddlewareBecomeAsync() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, Task<string> task)
            {
                app.Get("/a", ctx => { var s = {|SAKE0021:task.Result|}; ctx.Text(s); });
                app.Get("/b", (int id) => {|SAKE0021:task.Result|} + id);
                app.Use(ctx =>
                {
                    {|SAKE0021:task.Wait()|};
                    return ctx.Next();
                });
                app.Map("GET", "/c", delegate (Context ctx) { ctx.Text({|SAKE0021:task.GetAwaiter().GetResult()|}); return ValueTask.CompletedTask; });
                app.Get("/d", static (Task<string> t) => {|SAKE0021:t.Result|});
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, Task<string> task)
            {
                app.Get("/a", async ctx => { var s = await task; ctx.Text(s); });
                app.Get("/b", async (int id) => await task + id);
                app.Use(async ctx =>
                {
                    await task;
                    await ctx.Next();
                });
                app.Map("GET", "/c", async delegate (Context ctx) { ctx.Text(await task); });
                app.Get("/d", static async (Task<string> t) => await t);
            }
        }
        """);

    [Fact]
    public Task OtherBlockingCallsGetNoAwaitFix() => Verify.CodeFix<BlockingCallOnLoopAnalyzer, UseAwaitCodeFixProvider>("""
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static bool A(Task task, SemaphoreSlim gate)
            {
                {|SAKE0021:Thread.Sleep(10)|};
                {|SAKE0021:gate.Wait()|};
                return {|SAKE0021:task.Wait(100)|};
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static bool A(Task task, SemaphoreSlim gate)
            {
                {|SAKE0021:Thread.Sleep(10)|};
                {|SAKE0021:gate.Wait()|};
                return {|SAKE0021:task.Wait(100)|};
            }
        }
        """);
}
