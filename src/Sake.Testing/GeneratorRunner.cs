using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sake.Generators;

namespace Sake.Testing;

/// <summary>
/// Compiles sources in memory against the .NET reference assemblies and Sake.Runtime, then runs Sake's generator
/// together with System.Text.Json's (a user's JsonSerializerContext needs its output to compile, as in a real build).
/// Adapted from the generator tests' harness (tests/Sake.Generators.Tests/Infrastructure/GeneratorHarness.cs).
/// </summary>
internal static class GeneratorRunner
{
    /// <summary>C# 13, the newest the pinned Roslyn 4.14 parses; interceptors on, as the Sake package sets them.</summary>
    internal static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp13)
        .WithFeatures([new("InterceptorsNamespaces", "Sake.Generated")]);

    private static readonly Lazy<ImmutableArray<MetadataReference>> BaseReferences = new(LoadReferences);

    private static readonly Lazy<ISourceGenerator?> JsonGenerator = new(LoadJsonGenerator);

    public static SakeGeneratorRun Run(IReadOnlyList<(string Path, string Text)> sources, SnapshotOptions options)
    {
        var references = BaseReferences.Value.AddRange(
            options.References.Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location)));
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, path: s.Path)).ToList();
        if (options.GlobalUsings.Count > 0)
        {
            // What the SDK writes to obj/…/{Project}.GlobalUsings.g.cs, so handler files written for ImplicitUsings compile.
            var usings = string.Concat(options.GlobalUsings.Select(n => $"global using global::{n};\n"));
            trees.Add(CSharpSyntaxTree.ParseText(usings, ParseOptions, path: "GlobalUsings.g.cs"));
        }

        var compilation = CSharpCompilation.Create(
            options.AssemblyName,
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        List<ISourceGenerator> generators = [new SakeGenerator().AsSourceGenerator()];
        if (JsonGenerator.Value is { } json)
        {
            generators.Add(json);
        }

        var driver = CSharpGeneratorDriver.Create(generators, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult();
        var sake = result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(SakeGenerator));
        var files = sake.GeneratedSources.Select(s => new GeneratedSource(s.HintName, s.SourceText.ToString())).ToList();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var exception = result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        return new SakeGeneratorRun(files, sake.Diagnostics, errors, exception);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Reference assemblies, as a real build uses; the running framework's implementation assemblies when the
        // pack is not installed (a runtime-only machine), which compile the same public surface.
        var refDir = RefPackDirectory() is { } pack ? Path.Combine(pack, "ref", "net" + Environment.Version.ToString(2)) : null;
        var paths = refDir is not null && Directory.Exists(refDir)
            ? Directory.GetFiles(refDir, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var list = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        list.Add(MetadataReference.CreateFromFile(typeof(Context).Assembly.Location));
        list.Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        return [.. list];
    }

    private static ISourceGenerator? LoadJsonGenerator()
    {
        var path = RefPackDirectory() is { } pack
            ? Path.Combine(pack, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll")
            : null;
        if (path is null || !File.Exists(path))
        {
            // Without it, sources with a JsonSerializerContext do not compile; that shows up as compilation errors.
            return null;
        }

        var type = Assembly.LoadFrom(path).GetType("System.Text.Json.SourceGeneration.JsonSourceGenerator", throwOnError: true)!;
        return ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator();
    }

    /// <summary>
    /// packs/Microsoft.NETCore.App.Ref/{version} of the dotnet install running the tests: the running runtime's
    /// version when present, else the newest of the same major version.
    /// </summary>
    private static string? RefPackDirectory()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var packs = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        var exact = Path.Combine(packs, Path.GetFileName(runtimeDir));
        if (Directory.Exists(exact))
        {
            return exact;
        }

        if (!Directory.Exists(packs))
        {
            return null;
        }

        var major = Environment.Version.Major + ".";
        return Directory.EnumerateDirectories(packs)
            .Where(d => Path.GetFileName(d).StartsWith(major, StringComparison.Ordinal) && Version.TryParse(Path.GetFileName(d).Split('-')[0], out _))
            .OrderBy(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .LastOrDefault();
    }
}
