using Sake.Analyzers.Loop;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Loop;

public sealed class ConfigureAwaitFalseOnLoopAnalyzerTests
{
    [Fact]
    public Task ConfigureAwaitFalseInLoopCodeIsReported() => Verify.Analyzer<ConfigureAwaitFalseOnLoopAnalyzer>("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<string> A(Task<string> task, ValueTask vt, Task plain, IAsyncEnumerable<int> items)
            {
                await {|SAKE0022:plain.ConfigureAwait(false)|};
                await {|SAKE0022:vt.ConfigureAwait(continueOnCapturedContext: false)|};
                await {|SAKE0022:plain.ConfigureAwait(ConfigureAwaitOptions.None)|};
                await {|SAKE0022:plain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)|};
                await foreach (var i in {|SAKE0022:items.ConfigureAwait(false)|})
                {
                }

                return await {|SAKE0022:task.ConfigureAwait(false)|};
            }
        }

        public static class Routes
        {
            public static void Map(SakeApp app, Task<string> task)
            {
                app.Get("/b", async (int id) => await {|SAKE0022:task.ConfigureAwait(false)|} + id);
                app.Use(async ctx => await {|SAKE0022:ctx.Next().ConfigureAwait(false)|});
            }
        }
        """);

    [Fact]
    public Task ConfigureAwaitTrueWorkerCodeAndNestedFunctionsAreNotReported() => Verify.Analyzer<ConfigureAwaitFalseOnLoopAnalyzer>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<string> A(Task<string> task, Task plain, bool flag)
            {
                await plain.ConfigureAwait(true);
                await plain.ConfigureAwait(flag);
                await plain.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
                await Task.Run(async () => await plain.ConfigureAwait(false));
                return await task;
            }

            [Get("/b"), Worker]
            public static async Task<string> B(Task<string> task) => await task.ConfigureAwait(false);

            public static async Task<string> NotAHandler(Task<string> task) => await task.ConfigureAwait(false);
        }

        public static class Routes
        {
            public static void Map(SakeApp app, Task<string> task)
            {
                app.Get("/c", async (int id) => await task.ConfigureAwait(false) + id).Worker();
            }
        }
        """);
}
