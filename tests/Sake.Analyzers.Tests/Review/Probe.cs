using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Review;

/// <summary>Runs every Sake analyzer and every code fix over a source; collects analyzer/fix exceptions and fixes that add compiler errors.</summary>
internal static class Probe
{
    private static ImmutableArray<MetadataReference>? _refs;

    public static async Task<ImmutableArray<MetadataReference>> References()
    {
        if (_refs is null)
        {
            var r = await Verify.Net10.ResolveAsync(LanguageNames.CSharp, default);
            _refs = r.Add(MetadataReference.CreateFromFile(typeof(Sake.Context).Assembly.Location))
                     .Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        }
        return _refs.Value;
    }

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
        [.. typeof(Sake.Analyzers.Loop.BlockingCallOnLoopAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    public static ImmutableArray<CodeFixProvider> Fixes() =>
        [.. typeof(Sake.Analyzers.CodeFixes.Loop.UseAwaitCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)];

    /// <summary>Problems found: analyzer exceptions, fix exceptions, fixes that add compiler errors.</summary>
    public static async Task<List<string>> Run(string source, bool checkFixes = true)
    {
        var problems = new List<string>();
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Create(), "P", "P", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: Verify.ParseOptions, metadataReferences: await References()));
        var docId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(docId, "Test0.cs", SourceText.From(source));
        var document = solution.GetDocument(docId)!;
        var compilation = (await document.Project.GetCompilationAsync())!;
        var exceptions = new List<string>();
        var cwa = compilation.WithAnalyzers(Analyzers(), new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), (ex, a, d) => { lock (exceptions) exceptions.Add($"{a.GetType().Name}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}"); }, false, false));
        var all = await cwa.GetAllDiagnosticsAsync();
        problems.AddRange(exceptions);
        problems.AddRange(all.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
        if (!checkFixes)
        {
            return problems;
        }

        var baseErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + d.GetMessage()).ToHashSet();
        foreach (var diagnostic in all.Where(d => d.Id.StartsWith("SAKE")))
        {
            foreach (var fix in Fixes().Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                try
                {
                    await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), default));
                    foreach (var action in actions)
                    {
                        foreach (var op in await action.GetOperationsAsync(default))
                        {
                            if (op is not ApplyChangesOperation apply)
                            {
                                continue;
                            }

                            var changed = apply.ChangedSolution.GetDocument(docId)!;
                            var text = (await changed.GetTextAsync()).ToString();
                            var newComp = (await changed.Project.GetCompilationAsync())!;
                            var added = newComp.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !baseErrors.Contains(d.Id + d.GetMessage())).ToList();
                            if (added.Count > 0)
                            {
                                problems.Add($"{fix.GetType().Name} '{action.Title}' for {diagnostic.Id} adds errors: {string.Join("; ", added.Select(d => d.ToString()))}\n--- fixed:\n{text}");
                            }
                        }
                    }
                }
                catch (Exception ex)
                {
                    problems.Add($"{fix.GetType().Name} for {diagnostic.Id} threw {ex}");
                }
            }
        }

        return problems;
    }

    public static async Task<ImmutableArray<Diagnostic>> Diagnostics(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, Verify.ParseOptions, "Test0.cs");
        var compilation = CSharpCompilation.Create("P", [tree], await References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var cwa = compilation.WithAnalyzers(Analyzers());
        return (await cwa.GetAnalyzerDiagnosticsAsync()).Where(d => d.Id.StartsWith("SAKE") || d.Id == "AD0001").ToImmutableArray();
    }
}
