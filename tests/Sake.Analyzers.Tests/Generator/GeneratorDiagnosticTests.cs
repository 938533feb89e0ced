using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Generator;

/// <summary>The diagnostics Sake's generator raises, in markup: each with a case that reports it and one that does not.</summary>
public sealed class GeneratorDiagnosticTests
{
    [Fact]
    public Task Sake0001ANonPartialHandlerClass() => Verify.Generator("""
        using Sake;

        public static class {|SAKE0001:Api|}
        {
            [Get("/a")] public static string A() => "a";
        }
        """);

    [Fact]
    public Task Sake0001NotForAPartialOne() => Verify.Generator("""
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static string A() => "a";
        }
        """);
}
