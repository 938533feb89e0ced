using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Workers;

public sealed class WorkerItemsCannotCrossAnalyzerTests
{
    [Fact]
    public Task MiddlewareStoringAnObjectForAWorkerHandlerThatReadsItemsIsReported() => Verify.Analyzer<WorkerItemsCannotCrossAnalyzer>(
        """
        using System.Threading.Tasks;
        using Sake;

        public sealed record User(int Id, string Name);

        public static class Auth
        {
            public static ValueTask LoadUser(Context ctx)
            {
                ctx.Items["user"] = {|#1:new User(7, "ann")|};
                return ctx.Next();
            }
        }

        [Use(typeof(Auth), nameof(Auth.LoadUser))]
        public static partial class Profile
        {
            [Get("/me"), Worker]
            public static string Me(Context ctx) => ((User){|#0:ctx.Items|}["user"]!).Name;
        }
        """,
        new DiagnosticResult("SAKE0020", DiagnosticSeverity.Warning).WithLocation(0).WithLocation(1).WithArguments("Auth.LoadUser", "User", "Me"));

    [Fact]
    public Task AddAndMethodLevelMiddlewareInTheHandlerClassAreReported() => Verify.Analyzer<WorkerItemsCannotCrossAnalyzer>(
        """
        using System;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Orders
        {
            [Get("/orders"), Worker, Use(nameof(Stamp))]
            public static string List(Context ctx) => {|#0:ctx.Items|}.Count.ToString();

            private static ValueTask Stamp(Context ctx)
            {
                ctx.Items.Add("at", {|#1:DateTime.UtcNow|});
                ctx.Items["tenant"] = "acme";
                ctx.Items["flags"] = {|#2:(short)3|};
                return ctx.Next();
            }
        }
        """,
        new DiagnosticResult("SAKE0020", DiagnosticSeverity.Warning).WithLocation(0).WithLocation(1).WithArguments("Orders.Stamp", "DateTime", "List"),
        new DiagnosticResult("SAKE0020", DiagnosticSeverity.Warning).WithLocation(0).WithLocation(2).WithArguments("Orders.Stamp", "short", "List"));

    [Fact]
    public Task PrimitivesLoopHandlersAndHandlersThatIgnoreItemsAreNotReported() => Verify.Analyzer<WorkerItemsCannotCrossAnalyzer>("""
        using System;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a"), Worker, Use(nameof(Load))]
            public static string A(Context ctx) => ctx.Path;

            [Get("/b"), Use(nameof(Load))]
            public static string B(Context ctx) => ctx.Items["user"]!.ToString()!;

            [Get("/c"), Worker, Use(nameof(Primitives))]
            public static string C(Context ctx) => ctx.Items.Count.ToString();

            private static ValueTask Load(Context ctx)
            {
                ctx.Items["user"] = new object[] { 1 };
                return ctx.Next();
            }

            private static ValueTask Primitives(Context ctx)
            {
                object boxed = 3;
                int? maybe = null;
                ctx.Items["id"] = 42;
                ctx.Items["big"] = 42L;
                ctx.Items["ratio"] = 0.5;
                ctx.Items["price"] = 9.99m;
                ctx.Items["name"] = "ann";
                ctx.Items["ok"] = true;
                ctx.Items["none"] = null;
                ctx.Items["boxed"] = boxed;
                ctx.Items["maybe"] = maybe;
                return ctx.Next();
            }
        }
        """);
}
