using System.Runtime.CompilerServices;

namespace Sake.Testing;

/// <summary>
/// Snapshot tests of the code Sake generates for your handlers: runs Sake's source generator on your sources and
/// compares every generated file with a reviewed copy, <c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c>
/// beside the calling test file. A difference writes the new output to a <c>.received.cs</c> file beside it and throws
/// a <see cref="SnapshotMismatchException"/> with a line diff; setting <see cref="AcceptEnvironmentVariable"/> to
/// <c>1</c> accepts the new output instead. Works with any test framework.
/// </summary>
/// <example>
/// <code>
/// public class RouteSnapshots
/// {
///     [Fact]
///     public void Handlers() => SakeSnapshots.VerifyFiles(["../../src/MyApp/Handlers"]);
/// }
/// </code>
/// </example>
public static class SakeSnapshots
{
    /// <summary>Environment variable that switches from checking to accepting (value <c>1</c> or <c>true</c>).</summary>
    public const string AcceptEnvironmentVariable = "SAKE_ACCEPT_SNAPSHOTS";

    /// <summary>Runs Sake's generator on one source file's text and checks its output against the snapshots.</summary>
    /// <param name="source">C# source, typically a partial handler class.</param>
    /// <param name="options">Naming, location and compilation settings; defaults when null.</param>
    /// <param name="callerFilePath">Filled in by the compiler; locates the <c>Snapshots</c> folder and names the class.</param>
    /// <param name="callerMember">Filled in by the compiler; the test method's name.</param>
    /// <exception cref="SnapshotMismatchException">The output differs from the verified files.</exception>
    /// <exception cref="InvalidOperationException">The generator failed or, unless allowed, the code has errors.</exception>
    public static void Verify(
        string source,
        SnapshotOptions? options = null,
        [CallerFilePath] string callerFilePath = "",
        [CallerMemberName] string callerMember = "")
    {
        ArgumentNullException.ThrowIfNull(source);
        Verify([source], options, callerFilePath, callerMember);
    }

    /// <summary>Runs Sake's generator on several sources compiled together and checks its output against the snapshots.</summary>
    /// <param name="sources">The texts of the C# files, compiled as one assembly (named <c>Source0.cs</c>, <c>Source1.cs</c>, …).</param>
    /// <param name="options">Naming, location and compilation settings; defaults when null.</param>
    /// <param name="callerFilePath">Filled in by the compiler; locates the <c>Snapshots</c> folder and names the class.</param>
    /// <param name="callerMember">Filled in by the compiler; the test method's name.</param>
    /// <exception cref="SnapshotMismatchException">The output differs from the verified files.</exception>
    /// <exception cref="InvalidOperationException">The generator failed or, unless allowed, the code has errors.</exception>
    public static void Verify(
        IEnumerable<string> sources,
        SnapshotOptions? options = null,
        [CallerFilePath] string callerFilePath = "",
        [CallerMemberName] string callerMember = "")
    {
        ArgumentNullException.ThrowIfNull(sources);
        options ??= new SnapshotOptions();
        var run = Generate(sources, options);
        VerifyRun(run, options, callerFilePath, callerMember);
    }

    /// <summary>
    /// Runs Sake's generator on C# files from disk, e.g. your app's handler classes, and checks its output against
    /// the snapshots.
    /// </summary>
    /// <param name="paths">
    /// Files, or folders whose <c>*.cs</c> files are all taken (subfolders included, <c>bin</c> and <c>obj</c> left out).
    /// A relative path is relative to the folder of the calling test file, so it does not depend on where the tests run.
    /// </param>
    /// <param name="options">Naming, location and compilation settings; defaults when null.</param>
    /// <param name="callerFilePath">Filled in by the compiler; locates the <c>Snapshots</c> folder and names the class.</param>
    /// <param name="callerMember">Filled in by the compiler; the test method's name.</param>
    /// <exception cref="SnapshotMismatchException">The output differs from the verified files.</exception>
    /// <exception cref="InvalidOperationException">The generator failed or, unless allowed, the code has errors.</exception>
    public static void VerifyFiles(
        IEnumerable<string> paths,
        SnapshotOptions? options = null,
        [CallerFilePath] string callerFilePath = "",
        [CallerMemberName] string callerMember = "")
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new SnapshotOptions();
        var files = ReadSources(paths, CallerDirectory(callerFilePath));
        VerifyRun(GeneratorRunner.Run(files, options), options, callerFilePath, callerMember);
    }

    /// <summary>
    /// Checks generated files you produced yourself (e.g. from <see cref="Generate"/>, filtered) against the snapshots.
    /// </summary>
    /// <param name="files">The hint name and text of each generated file.</param>
    /// <param name="options">Naming and location settings; defaults when null.</param>
    /// <param name="callerFilePath">Filled in by the compiler; locates the <c>Snapshots</c> folder and names the class.</param>
    /// <param name="callerMember">Filled in by the compiler; the test method's name.</param>
    /// <exception cref="SnapshotMismatchException">The output differs from the verified files.</exception>
    public static void VerifyGenerated(
        IEnumerable<GeneratedSource> files,
        SnapshotOptions? options = null,
        [CallerFilePath] string callerFilePath = "",
        [CallerMemberName] string callerMember = "")
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= new SnapshotOptions();
        SnapshotFiles.VerifyIn(
            options.SnapshotDirectory ?? SnapshotDirectory(callerFilePath),
            options.TestClass ?? Path.GetFileNameWithoutExtension(callerFilePath),
            callerMember,
            options.Variant,
            files.Select(f => (f.HintName, f.Source)).ToList(),
            options.Accept ?? SnapshotFiles.IsAcceptRequested(Environment.GetEnvironmentVariable(AcceptEnvironmentVariable)));
    }

    /// <summary>
    /// Runs Sake's generator (and System.Text.Json's, which JSON contexts need) on <paramref name="sources"/>, compiled
    /// against .NET's reference assemblies and Sake, without checking anything.
    /// </summary>
    /// <param name="sources">The texts of the C# files, compiled as one assembly.</param>
    /// <param name="options">Compilation settings (<see cref="SnapshotOptions.References"/>, <see cref="SnapshotOptions.AssemblyName"/>); defaults when null.</param>
    /// <returns>Sake's files and diagnostics, and the compilation's errors.</returns>
    public static SakeGeneratorRun Generate(IEnumerable<string> sources, SnapshotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return GeneratorRunner.Run(sources.Select((s, i) => ($"Source{i}.cs", s)).ToList(), options ?? new SnapshotOptions());
    }

    /// <summary>
    /// Generated code as it is stored in snapshots: interceptor location data (a checksum of the caller's source text,
    /// which changes with any edit) becomes <c>{location}</c>, the generator's version in <c>[GeneratedCode]</c>
    /// becomes <c>{version}</c>, and line endings become <c>\n</c>.
    /// </summary>
    /// <param name="source">Generated source text.</param>
    /// <returns>The scrubbed text.</returns>
    public static string Scrub(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return SnapshotFiles.Scrub(source);
    }

    /// <summary>The <c>Snapshots</c> folder beside <paramref name="callerFilePath"/> (it need not exist yet).</summary>
    /// <param name="callerFilePath">Filled in by the compiler; a test source file.</param>
    /// <returns>The folder's full path.</returns>
    public static string SnapshotDirectory([CallerFilePath] string callerFilePath = "") =>
        Path.Combine(CallerDirectory(callerFilePath), "Snapshots");

    private static void VerifyRun(SakeGeneratorRun run, SnapshotOptions options, string callerFilePath, string callerMember)
    {
        if (run.GeneratorException is not null || (!options.AllowErrors && !run.IsClean))
        {
            throw new InvalidOperationException(
                "Sake's generator did not run cleanly on the sources, so there is nothing trustworthy to snapshot " +
                $"(set {nameof(SnapshotOptions)}.{nameof(SnapshotOptions.AllowErrors)} to snapshot code with errors):\n" + run.DescribeProblems(),
                run.GeneratorException);
        }

        VerifyGenerated(run.Files, options, callerFilePath, callerMember);
    }

    private static string CallerDirectory(string callerFilePath)
    {
        if (string.IsNullOrEmpty(callerFilePath))
        {
            throw new ArgumentException("The calling test file's path is needed to locate its Snapshots folder.", nameof(callerFilePath));
        }

        // The caller path is where the test source was compiled from, so this only works where the tests run from
        // the checkout they were built in; a PathMap (e.g. ContinuousIntegrationBuild's "/_/") hides the real path.
        var directory = Path.GetDirectoryName(Path.GetFullPath(callerFilePath));
        if (directory is null || !Directory.Exists(directory))
        {
            throw new InvalidOperationException(
                $"The calling test file's folder '{directory}' does not exist on this machine. Run the tests from the checkout " +
                $"they were built in (without a PathMap), or set {nameof(SnapshotOptions)}.{nameof(SnapshotOptions.SnapshotDirectory)}.");
        }

        return directory;
    }

    private static List<(string Path, string Text)> ReadSources(IEnumerable<string> paths, string baseDirectory)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, baseDirectory);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                // Sorted, so the compilation (and anything order-dependent in the output) is the same on every machine.
                files.AddRange(Directory.EnumerateFiles(full, "*.cs", SearchOption.AllDirectories)
                    .Where(f => !IsBuildOutput(Path.GetRelativePath(full, f)))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                throw new FileNotFoundException($"No file or folder at '{full}' (relative paths are relative to the calling test file).", full);
            }
        }

        if (files.Count == 0)
        {
            throw new ArgumentException("No C# files were given.", nameof(paths));
        }

        // The generator only puts file names in generated code, so full paths here do not leak into snapshots.
        return files.Distinct(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f))).ToList();
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            .SkipLast(1)
            .Any(part => part is "bin" or "obj");
}
