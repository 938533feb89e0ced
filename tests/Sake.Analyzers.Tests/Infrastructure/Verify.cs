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

    /// <summary>
    /// Applies <typeparamref name="TFix"/> to diagnostics Sake's generator raises (SAKE0001…), marked in the markup, and
    /// compares with <paramref name="fixedSource"/> (whose markup holds what the generator still raises).
    /// </summary>
    public static Task GeneratorCodeFix<TFix>(string source, string fixedSource, int? codeActionIndex = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new GeneratorCodeFixTest<TFix> { TestCode = source, FixedCode = fixedSource, CodeActionIndex = codeActionIndex };
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

    /// <summary>
    /// A code fix test whose diagnostics come from Sake's generator. The testing library's own generator support
    /// (<c>GetSourceGenerators</c>) checks the generator's diagnostics against the markup, but its fix loop only
    /// collects analyzer and compiler diagnostics, so a generator diagnostic would never reach the fix: the generator
    /// is run by <see cref="GeneratorDiagnostics"/> instead, whose reports are the generator's own.
    /// </summary>
    private sealed class GeneratorCodeFixTest<TFix> : CSharpCodeFixTest<GeneratorDiagnostics, TFix, DefaultVerifier>
        where TFix : CodeFixProvider, new()
    {
        public GeneratorCodeFixTest()
        {
            ReferenceAssemblies = Net10;
            Configure(TestState);
            Configure(FixedState);
        }

        protected override ParseOptions CreateParseOptions() => ParseOptions;
    }

    /// <summary>
    /// Runs <see cref="SakeGenerator"/> over the compilation and reports what it reports. Test-only: no
    /// [DiagnosticAnalyzer] attribute, so nothing loads it as a compiler extension (RS1036/RS1038/RS1041).
    /// </summary>
#pragma warning disable RS1001 // Deliberately without [DiagnosticAnalyzer]: see above.
    private sealed class GeneratorDiagnostics : DiagnosticAnalyzer
#pragma warning restore RS1001
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [.. Sake.Generators.Diagnostics.DiagnosticDescriptors.Registry];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // The generator runs once per compilation; each diagnostic is reported from its own tree's semantic
                // model action, so it is local to a document (the testing library fixes only local diagnostics).
                var generated = new Lazy<ImmutableArray<Diagnostic>>(() =>
                {
                    var driver = CSharpGeneratorDriver.Create([new SakeGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
                    driver.RunGeneratorsAndUpdateCompilation(start.Compilation, out _, out var diagnostics, start.CancellationToken);
                    return [.. diagnostics.Select(d => InSource(d, start.Compilation))];
                });
                start.RegisterSemanticModelAction(model =>
                {
                    foreach (var d in generated.Value)
                    {
                        if (d.Location.SourceTree == model.SemanticModel.SyntaxTree)
                        {
                            model.ReportDiagnostic(d);
                        }
                    }
                });
            });
        }

        /// <summary>
        /// The generator keeps locations as file path and span (its models must not hold syntax trees), so its diagnostics
        /// come without a syntax tree; a code fix needs the document, so the location is put back into its tree.
        /// </summary>
        private static Diagnostic InSource(Diagnostic diagnostic, Compilation compilation)
        {
            var location = diagnostic.Location;
            var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.GetLineSpan().Path);
            if (location.SourceTree is not null || tree is null)
            {
                return diagnostic;
            }

            var d = diagnostic.Descriptor;
            return Diagnostic.Create(
                d.Id, d.Category, diagnostic.GetMessage(), diagnostic.Severity, d.DefaultSeverity, d.IsEnabledByDefault, diagnostic.WarningLevel,
                d.Title, d.Description, d.HelpLinkUri, Location.Create(tree, location.SourceSpan), diagnostic.AdditionalLocations, d.CustomTags, diagnostic.Properties);
        }
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
