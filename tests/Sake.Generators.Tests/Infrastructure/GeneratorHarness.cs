using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sake.Generators;

namespace Sake.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles test sources in memory against the .NET 10 reference assemblies and Sake.Runtime, then runs Sake's
/// generator together with System.Text.Json's (user contexts need its output to compile, as in a real build).
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>C# 13, the newest the pinned Roslyn 4.14 parses (the generator must load in older hosts); interceptors on.</summary>
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp13)
        .WithFeatures([new("InterceptorsNamespaces", "Sake.Generated")]);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly Lazy<ISourceGenerator> JsonGenerator = new(LoadJsonGenerator);

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "HandlersUnderTest",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver with both generators and step tracking on (the incrementality tests read the steps).</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new SakeGenerator().AsSourceGenerator(), JsonGenerator.Value],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Run RunGenerators(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new Run(driver, driver.GetRunResult(), output, generatorDiagnostics);
    }

    /// <summary>One run: Sake's generated files, its diagnostics, and the compiled result.</summary>
    public sealed record Run(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        public GeneratorRunResult Sake => Result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(SakeGenerator));

        public IReadOnlyList<(string HintName, string Source)> SakeFiles =>
            Sake.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToList();

        public IReadOnlyList<Diagnostic> SakeDiagnostics => Sake.Diagnostics;

        /// <summary>Errors of the final compilation (user code plus everything generated).</summary>
        public IReadOnlyList<Diagnostic> CompileErrors =>
            Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        /// <summary>Fails unless no generator threw, Sake reported nothing and the whole compilation is clean.</summary>
        public Run AssertClean()
        {
            foreach (var r in Result.Results)
            {
                Assert.Null(r.Exception);
            }

            var problems = SakeDiagnostics.Concat(CompileErrors).Select(d => d.ToString()).ToList();
            Assert.True(problems.Count == 0, "Expected a clean run, got:\n" + string.Join("\n", problems));
            return this;
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The reference pack of the shared framework the tests run on (e.g. packs/Microsoft.NETCore.App.Ref/10.0.12).
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string version = Path.GetFileName(runtimeDir);
        string refDir = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref", version, "ref", "net10.0");
        var paths = Directory.Exists(refDir)
            ? Directory.GetFiles(refDir, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var list = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        list.Add(MetadataReference.CreateFromFile(typeof(Sake.Context).Assembly.Location));
        list.Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        return [.. list];
    }

    private static ISourceGenerator LoadJsonGenerator()
    {
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string version = Path.GetFileName(runtimeDir);
        string path = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref", version, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
        var assembly = Assembly.LoadFrom(path);
        var type = assembly.GetType("System.Text.Json.SourceGeneration.JsonSourceGenerator", throwOnError: true)!;
        return ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator();
    }
}
