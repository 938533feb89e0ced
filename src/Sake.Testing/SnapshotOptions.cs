using System.Reflection;

namespace Sake.Testing;

/// <summary>Settings of one <see cref="SakeSnapshots"/> check; every one has a default that suits most tests.</summary>
public sealed record SnapshotOptions
{
    /// <summary>
    /// The class part of the snapshot names. Default: the calling file's name without extension, which by convention
    /// is the test class's name.
    /// </summary>
    public string? TestClass { get; init; }

    /// <summary>
    /// Distinguishes the cases of a parameterized test, which share a method name; appended as <c>_{Variant}</c>.
    /// </summary>
    public string? Variant { get; init; }

    /// <summary>Where the verified files live. Default: a <c>Snapshots</c> folder beside the calling test file.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>
    /// Whether to accept the new output instead of checking it. Default (null): accept when the
    /// <see cref="SakeSnapshots.AcceptEnvironmentVariable"/> environment variable is <c>1</c> or <c>true</c>.
    /// </summary>
    public bool? Accept { get; init; }

    /// <summary>
    /// Snapshot the output even when Sake reports an error or the sources plus generated code do not compile.
    /// Default false: code that does not build is rarely what a test meant to pin down. A generator crash always fails.
    /// </summary>
    public bool AllowErrors { get; init; }

    /// <summary>
    /// Assemblies the sources use besides .NET, Sake and Microsoft.Extensions.Logging.Abstractions (which are always
    /// referenced), e.g. a shared library of the app's payload types.
    /// </summary>
    public IReadOnlyList<Assembly> References { get; init; } = [];

    /// <summary>
    /// Namespaces imported into every source with <c>global using</c>, as a build with <c>ImplicitUsings</c> does.
    /// Default: the SDK's implicit usings for a console app or library (System, System.Collections.Generic,
    /// System.IO, System.Linq, System.Net.Http, System.Threading, System.Threading.Tasks); empty for none.
    /// </summary>
    public IReadOnlyList<string> GlobalUsings { get; init; } = DefaultGlobalUsings;

    /// <summary>The name of the in-memory compilation the generator runs on. Default <c>HandlersUnderTest</c>.</summary>
    public string AssemblyName { get; init; } = "HandlersUnderTest";

    private static readonly string[] DefaultGlobalUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];
}
