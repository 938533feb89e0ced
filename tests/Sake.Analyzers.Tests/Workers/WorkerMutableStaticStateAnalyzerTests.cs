using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Workers;

public sealed class WorkerMutableStaticStateAnalyzerTests
{
    [Fact]
    public Task AWorkerMethodWritingAStaticFieldIsReportedOnceAtItsFirstWrite() => Verify.Analyzer<WorkerMutableStaticStateAnalyzer>(
        """
        using Sake;

        public static partial class Stats
        {
            private static int s_hits;

            [Get("/hits"), Worker]
            public static int Hits()
            {
                int before = s_hits;
                {|#0:s_hits|}++;
                s_hits = s_hits + 1;
                return before;
            }
        }
        """,
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Hits", "writes", "Stats.s_hits"));

    [Fact]
    public Task ReadsOfMutableFieldsAndAutoPropertiesAndPropertyWritesAreReported() => Verify.Analyzer<WorkerMutableStaticStateAnalyzer>(
        """
        using System.Collections.Generic;
        using Sake;

        public static class Cache
        {
            public static Dictionary<string, string> Entries = new();
            public static int Limit { get; set; } = 10;
            public static string Mode { get => "fast"; set { } }
        }

        public static partial class Api
        {
            [Get("/a"), Worker]
            public static string A(string key)
            {
                {|#0:Cache.Limit|} = 5;
                return {|#1:Cache.Entries|}[key];
            }

            [Get("/b"), Worker]
            public static string B() => {|#2:Cache.Limit|}.ToString() + Cache.Mode;

            [Get("/c"), Worker]
            public static void C() => {|#3:Cache.Mode|} = "slow";

            public static void Map(SakeApp app)
            {
                app.Get("/d", (string key) => {|#4:Cache.Entries|}.ContainsKey(key)).Worker();
                app.Get("/e", Lookup).Worker();
            }

            private static int Lookup() => {|#5:Cache.Limit|};
        }
        """,
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("A", "writes", "Cache.Limit"),
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(1).WithArguments("A", "reads", "Cache.Entries"),
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(2).WithArguments("B", "reads", "Cache.Limit"),
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(3).WithArguments("C", "writes", "Cache.Mode"),
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(4).WithArguments("GET /d", "reads", "Cache.Entries"),
        new DiagnosticResult("SAKE0019", DiagnosticSeverity.Warning).WithLocation(5).WithArguments("Lookup", "reads", "Cache.Limit"));

    [Fact]
    public Task ImmutableThreadStaticSynchronizedNestedAndLoopAccessesAreNotReported() => Verify.Analyzer<WorkerMutableStaticStateAnalyzer>("""
        using System;
        using System.Linq;
        using System.Threading;
        using Sake;

        public static partial class Api
        {
            private const int Max = 10;
            private static readonly int[] Primes = { 2, 3, 5 };
            private static readonly object Gate = new();
            private static int s_count;
            private static int s_locked;
            [ThreadStatic] private static int t_scratch;
            public static string Name { get; } = "api";
            public static int Computed => Max * 2;

            [Get("/a"), Worker]
            public static int A(int n)
            {
                t_scratch = n;
                Interlocked.Increment(ref s_count);
                lock (Gate)
                {
                    s_locked++;
                }

                Func<int> later = () => s_count;
                return Primes[0] + Max + Name.Length + Computed + Environment.ProcessorCount + later();
            }

            [Get("/b")]
            public static int B() => s_count++;

            public static void Map(SakeApp app)
            {
                app.Get("/c", () => s_count++);
                app.Get("/d", () => Primes.Sum()).Worker();
            }
        }
        """);
}
