using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Sake.Generators;

namespace Sake.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs analyzers, code fixes and Sake's generator over test sources written with diagnostic markup
/// (<c>{|SAKE0021:Thread.Sleep(10)|}</c>), compiled against the .NET 10.0.12 reference pack and the real Sake.Runtime.
/// </summary>
internal static class Verify
{
    /// <summary>The reference pack these tests compile against (<c>ReferenceAssemblies.Net.Net100</c> pins a version the feed does not serve).</summary>
    public static readonly ReferenceAssemblies Net10 = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        Path.Combine("ref", "net10.0"));

    /// <summary>C# 13: the newest the pinned Roslyn 4.14 parses; interceptors enabled as Sake.Generators.props does.</summary>
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp13)
        .WithFeatures([new("InterceptorsNamespaces", "Sake.Generated")]);

    private static readonly MetadataReference[] SakeReferences =
    [
        MetadataReference.CreateFromFile(typeof(Sake.Context).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    /// <summary>Runs <typeparamref name="TAnalyzer"/>; the markup's diagnostics must be exactly the ones reported.</summary>
    public static Task Analyzer<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new AnalyzerTest<TAnalyzer> { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Applies <typeparamref name="TFix"/> to the markup's diagnostics and compares with <paramref name="fixedSource"/>.</summary>
    public static Task CodeFix<TAnalyzer, TFix>(string source, string fixedSource, int? codeActionIndex = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CodeFixTest<TAnalyzer, TFix> { TestCode = source, FixedCode = fixedSource, CodeActionIndex = codeActionIndex };
        return test.RunAsync();
    }

    /// <summary>Runs Sake's generator; the markup's diagnostics must be exactly the generator's (generated files are not compared here).</summary>
    public static Task Generator(string source, params DiagnosticResult[] expected) => Generator(source, null, null, expected);

    /// <summary>
    /// As <see cref="Generator(string, DiagnosticResult[])"/>, compiling with <paramref name="parseOptions"/> (a language
    /// version, missing features) and a global analyzer config (MSBuild properties as <c>build_property.X = v</c> lines).
    /// </summary>
    public static Task Generator(string source, CSharpParseOptions? parseOptions, string? globalConfig, params DiagnosticResult[] expected)
    {
        var test = new GeneratorTest(parseOptions ?? ParseOptions) { TestCode = source };
        if (globalConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(SakeReferences);
    }

    private sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public AnalyzerTest()
        {
            ReferenceAssemblies = Net10;
            Configure(TestState);
        }

        protected override ParseOptions CreateParseOptions() => ParseOptions;
    }

    private sealed class CodeFixTest<TAnalyzer, TFix> : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        public CodeFixTest()
        {
            ReferenceAssemblies = Net10;
            Configure(TestState);
            Configure(FixedState);
        }

        protected override ParseOptions CreateParseOptions() => ParseOptions;
    }

    private sealed class GeneratorTest : CSharpSourceGeneratorTest<SakeGenerator, DefaultVerifier>
    {
        private readonly CSharpParseOptions _parseOptions;

        public GeneratorTest(CSharpParseOptions parseOptions)
        {
            _parseOptions = parseOptions;
            ReferenceAssemblies = Net10;
            Configure(TestState);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override ParseOptions CreateParseOptions() => _parseOptions;
    }
}
