using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.CodeFixes.Workers;
using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Workers;

public sealed class RunOnEventLoopCodeFixProviderTests
{
    [Fact]
    public Task RemovesWorkerFromASharedAttributeList() => Verify.CodeFix<WorkerConnectionBoundParameterAnalyzer, RunOnEventLoopCodeFixProvider>(
        """
        using System.IO;
        using Sake;

        public static partial class Uploads
        {
            [Post("/upload"), Worker]
            public static string Upload(Stream {|SAKE0018:body|}) => "ok";

            [Worker, Post("/other")]
            public static string Other(Stream {|SAKE0018:body|}) => "ok";
        }
        """,
        """
        using System.IO;
        using Sake;

        public static partial class Uploads
        {
            [Post("/upload")]
            public static string Upload(Stream body) => "ok";

            [Post("/other")]
            public static string Other(Stream body) => "ok";
        }
        """);

    [Fact]
    public Task RemovesAWorkerAttributeListKeepingTheDocComment() => Verify.CodeFix<WorkerMutableStaticStateAnalyzer, RunOnEventLoopCodeFixProvider>(
        """
        using Sake;

        public static partial class Stats
        {
            private static int s_hits;

            /// <summary>Counts.</summary>
            [Worker]
            [Get("/hits")]
            public static int Hits() => {|SAKE0019:s_hits|}++;

            [Get("/reset")]
            [Worker]
            public static void Reset() => {|SAKE0019:s_hits|} = 0;
        }
        """,
        """
        using Sake;

        public static partial class Stats
        {
            private static int s_hits;

            /// <summary>Counts.</summary>
            [Get("/hits")]
            public static int Hits() => s_hits++;

            [Get("/reset")]
            public static void Reset() => s_hits = 0;
        }
        """);

    [Fact]
    public Task RemovesTheChainedWorkerCall() => Verify.CodeFix<WorkerLambdaCapturesAnalyzer, RunOnEventLoopCodeFixProvider>(
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, string greeting)
            {
                app.Get("/a", {|SAKE0017:ctx => ctx.Text(greeting)|}).Worker();
                app.Get("/b", {|SAKE0017:ctx => ctx.Text(greeting)|})
                    .Worker()
                    .Use(ctx => ctx.Next());
                app.Get("/c", {|SAKE0017:ctx => ctx.Text(greeting)|})
                    .Use(ctx => ctx.Next())
                    .Worker();
            }
        }
        """,
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, string greeting)
            {
                app.Get("/a", ctx => ctx.Text(greeting));
                app.Get("/b", ctx => ctx.Text(greeting))
                    .Use(ctx => ctx.Next());
                app.Get("/c", ctx => ctx.Text(greeting))
                    .Use(ctx => ctx.Next());
            }
        }
        """);

    [Fact]
    public Task RemovesWorkerForAStaticReadInAWorkerLambda() => Verify.CodeFix<WorkerMutableStaticStateAnalyzer, RunOnEventLoopCodeFixProvider>(
        """
        using Sake;

        public static class Routes
        {
            private static int s_hits;

            public static void Map(SakeApp app)
            {
                app.Get("/a", () => Format({|SAKE0019:s_hits|})).Worker();
            }

            private static string Format(int n) => n.ToString();
        }
        """,
        """
        using Sake;

        public static class Routes
        {
            private static int s_hits;

            public static void Map(SakeApp app)
            {
                app.Get("/a", () => Format(s_hits));
            }

            private static string Format(int n) => n.ToString();
        }
        """);

    [Fact]
    public Task RemovesWorkerFromTheHandlerWhoseMiddlewareStoresAnObject() => new CompilationEndFixTest<WorkerItemsCannotCrossAnalyzer>(
        """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Profile
        {
            [Get("/me"), Worker, Use(nameof(Load))]
            public static string Me(Context ctx) => {|SAKE0020:ctx.Items|}["user"]!.ToString()!;

            private static ValueTask Load(Context ctx)
            {
                ctx.Items["user"] = new object();
                return ctx.Next();
            }
        }
        """,
        """
        using System.Threading.Tasks;
        using Sake;

        public static partial class Profile
        {
            [Get("/me"), Use(nameof(Load))]
            public static string Me(Context ctx) => ctx.Items["user"]!.ToString()!;

            private static ValueTask Load(Context ctx)
            {
                ctx.Items["user"] = new object();
                return ctx.Next();
            }
        }
        """).RunAsync();

    /// <summary>
    /// Verify.CodeFix with the local-diagnostic check off: SAKE0020 is reported when the compilation ends (middleware
    /// and handler are matched across files), which the testing library otherwise refuses to fix.
    /// </summary>
    private sealed class CompilationEndFixTest<TAnalyzer> : CSharpCodeFixTest<TAnalyzer, RunOnEventLoopCodeFixProvider, DefaultVerifier>
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        public CompilationEndFixTest(string source, string fixedSource)
        {
            TestCode = source;
            FixedCode = fixedSource;
            ReferenceAssemblies = Sake.Analyzers.Tests.Infrastructure.Verify.Net10;
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
            MetadataReference[] sake =
            [
                MetadataReference.CreateFromFile(typeof(Sake.Context).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
            ];
            TestState.AdditionalReferences.AddRange(sake);
            FixedState.AdditionalReferences.AddRange(sake);
        }

        protected override ParseOptions CreateParseOptions() => Sake.Analyzers.Tests.Infrastructure.Verify.ParseOptions;
    }
}
