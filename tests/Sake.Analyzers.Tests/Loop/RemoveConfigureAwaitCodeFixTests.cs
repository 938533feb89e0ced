using Sake.Analyzers.CodeFixes.Loop;
using Sake.Analyzers.Loop;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Loop;

public sealed class RemoveConfigureAwaitCodeFixTests
{
    [Fact]
    public Task ConfigureAwaitFalseAndOptionsNoneAreRemoved() => Verify.CodeFix<ConfigureAwaitFalseOnLoopAnalyzer, RemoveConfigureAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<string> A(Task<string> task, Task plain)
            {
                await {|SAKE0022:plain.ConfigureAwait(ConfigureAwaitOptions.None)|};
                var s = await {|SAKE0022:task
                    .ConfigureAwait(false)|};
                return s;
            }
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task<string> A(Task<string> task, Task plain)
            {
                await plain;
                var s = await task;
                return s;
            }
        }
        """);

    [Fact]
    public Task OtherOptionsAreNotRemoved() => Verify.CodeFix<ConfigureAwaitFalseOnLoopAnalyzer, RemoveConfigureAwaitCodeFixProvider>("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task A(Task plain) => await {|SAKE0022:plain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)|};
        }
        """, """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static async Task A(Task plain) => await {|SAKE0022:plain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)|};
        }
        """);
}
