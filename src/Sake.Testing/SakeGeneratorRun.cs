using Microsoft.CodeAnalysis;

namespace Sake.Testing;

/// <summary>What Sake's generator made of some sources: its files, its diagnostics, and whether the result compiles.</summary>
public sealed class SakeGeneratorRun
{
    internal SakeGeneratorRun(
        IReadOnlyList<GeneratedSource> files,
        IReadOnlyList<Diagnostic> diagnostics,
        IReadOnlyList<Diagnostic> compilationErrors,
        Exception? generatorException)
    {
        Files = files;
        Diagnostics = diagnostics;
        CompilationErrors = compilationErrors;
        GeneratorException = generatorException;
    }

    /// <summary>Sake's generated files, in the order the generator added them (System.Text.Json's are left out).</summary>
    public IReadOnlyList<GeneratedSource> Files { get; }

    /// <summary>What Sake reported (SAKE0001…), of every severity.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Errors of the sources compiled together with everything generated.</summary>
    public IReadOnlyList<Diagnostic> CompilationErrors { get; }

    /// <summary>The exception a generator threw, or null.</summary>
    public Exception? GeneratorException { get; }

    /// <summary>Whether no generator threw, Sake reported no error and everything compiles.</summary>
    public bool IsClean =>
        GeneratorException is null
        && CompilationErrors.Count == 0
        && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The problems that make the run unclean, one per line ("" when it is clean).</summary>
    /// <returns>A report for a failure message.</returns>
    public string DescribeProblems()
    {
        var lines = new List<string>();
        if (GeneratorException is not null)
        {
            lines.Add($"a generator threw: {GeneratorException}");
        }

        lines.AddRange(Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        lines.AddRange(CompilationErrors.Select(d => d.ToString()));
        return string.Join('\n', lines);
    }
}
