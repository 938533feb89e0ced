namespace Sake.Testing.Tests;

/// <summary>The snapshot workflow on a temporary folder: pass, mismatch, accept, stale, and runs that are not clean.</summary>
public sealed class SnapshotHelperTests : IDisposable
{
    private const string Handlers = """
        using Sake;

        namespace Shop;

        public static partial class Catalog
        {
            [Get("/items/{id:int}")]
            public static string Item(int id) => $"item {id}";
        }
        """;

    private const string ChangedHandlers = """
        using Sake;

        namespace Shop;

        public static partial class Catalog
        {
            [Get("/items/{id:int}")]
            public static string Item(int id, string? color = null) => $"item {id} {color}";
        }
        """;

    private const string RoutesFile = "SnapshotHelperTests.{0}#Shop.Catalog.Routes.g.cs";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sake-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void AMatchingVerifiedFilePassesAndLeavesNoReceivedFile()
    {
        SakeSnapshots.Verify(Handlers, Options(accept: true));
        var verified = Verified(nameof(AMatchingVerifiedFilePassesAndLeavesNoReceivedFile));
        var before = File.ReadAllText(verified);

        SakeSnapshots.Verify(Handlers, Options(accept: false));

        Assert.Equal(before, File.ReadAllText(verified));
        Assert.Empty(Directory.GetFiles(_dir, "*.received.cs"));
    }

    [Fact]
    public void AMismatchWritesAReceivedFileAndThrowsWithADiff()
    {
        SakeSnapshots.Verify(Handlers, Options(accept: true));
        var verified = Verified(nameof(AMismatchWritesAReceivedFileAndThrowsWithADiff));
        var before = File.ReadAllText(verified);

        var e = Assert.Throws<SnapshotMismatchException>(() => SakeSnapshots.Verify(ChangedHandlers, Options(accept: false)));

        var received = verified.Replace(".verified.cs", ".received.cs", StringComparison.Ordinal);
        Assert.True(File.Exists(received));
        Assert.Equal(before, File.ReadAllText(verified));
        Assert.Equal(SakeSnapshots.Scrub(SakeSnapshots.Generate([ChangedHandlers]).Files.Single(f => f.HintName == "Shop.Catalog.Routes.g.cs").Source), File.ReadAllText(received));
        Assert.Contains("mismatch: " + Path.GetFileName(verified), e.Message);
        Assert.Contains("--- verified", e.Message);
        Assert.Contains("@@ -", e.Message);
        Assert.Contains("\n+ ", e.Message);
        Assert.Contains("color", e.Message);
        Assert.Contains("SAKE_ACCEPT_SNAPSHOTS=1", e.Message);

        // Once the output matches again, the received file goes away.
        SakeSnapshots.Verify(Handlers, Options(accept: false));
        Assert.False(File.Exists(received));
    }

    [Fact]
    public void AMissingVerifiedFileFailsAndIsWrittenAsReceived()
    {
        var e = Assert.Throws<SnapshotMismatchException>(() => SakeSnapshots.Verify(Handlers, Options(accept: false)));

        Assert.Contains("missing: " + string.Format(RoutesFile, nameof(AMissingVerifiedFileFailsAndIsWrittenAsReceived)), e.Message);
        Assert.NotEmpty(Directory.GetFiles(_dir, "*.received.cs"));
        Assert.Empty(Directory.GetFiles(_dir, "*.verified.cs"));
    }

    [Fact]
    public void AcceptingWritesTheVerifiedFilesAndRemovesReceivedOnes()
    {
        Assert.Throws<SnapshotMismatchException>(() => SakeSnapshots.Verify(Handlers, Options(accept: false)));
        Assert.NotEmpty(Directory.GetFiles(_dir, "*.received.cs"));

        SakeSnapshots.Verify(ChangedHandlers, Options(accept: true));

        Assert.Empty(Directory.GetFiles(_dir, "*.received.cs"));
        Assert.Contains("color", File.ReadAllText(Verified(nameof(AcceptingWritesTheVerifiedFilesAndRemovesReceivedOnes))));
        SakeSnapshots.Verify(ChangedHandlers, Options(accept: false));
    }

    [Fact]
    public void AVerifiedFileWithNoGeneratedCounterpartIsReportedAsStale()
    {
        SakeSnapshots.Verify(Handlers, Options(accept: true));
        var stale = Path.Combine(_dir, $"SnapshotHelperTests.{nameof(AVerifiedFileWithNoGeneratedCounterpartIsReportedAsStale)}#Shop.Renamed.Routes.g.cs.verified.cs");
        File.WriteAllText(stale, "// generated once, by a class since renamed\n");
        // Another test's snapshot shares the folder but not the prefix: not this test's business.
        var unrelated = Path.Combine(_dir, "OtherTests.Something#X.g.cs.verified.cs");
        File.WriteAllText(unrelated, "// x\n");

        var e = Assert.Throws<SnapshotMismatchException>(() => SakeSnapshots.Verify(Handlers, Options(accept: false)));

        Assert.Contains($"stale snapshot: {stale} has no generated counterpart", e.Message);
        Assert.DoesNotContain("OtherTests", e.Message);

        // Accepting deletes it.
        SakeSnapshots.Verify(Handlers, Options(accept: true));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public void VariantsAndAnExplicitClassNameTheFiles()
    {
        SakeSnapshots.Verify(Handlers, Options(accept: true) with { });
        SakeSnapshots.Verify(Handlers, new SnapshotOptions { SnapshotDirectory = _dir, Accept = true, TestClass = "Catalogs", Variant = "v2" });

        Assert.True(File.Exists(Path.Combine(_dir, "Catalogs.VariantsAndAnExplicitClassNameTheFiles_v2#Shop.Catalog.Routes.g.cs.verified.cs")));
        Assert.True(File.Exists(Path.Combine(_dir, "Catalogs.VariantsAndAnExplicitClassNameTheFiles_v2#Sake.RouteTable.g.cs.verified.cs")));
    }

    [Fact]
    public void SeveralSourcesCompileTogether()
    {
        SakeSnapshots.Verify(
            [
                """
                using Sake;
                namespace Shop;
                public static partial class Orders
                {
                    [Post("/orders")]
                    public static Order Create(Order order) => order;
                }
                """,
                "namespace Shop; public sealed record Order(int Id, string Item);",
            ],
            Options(accept: true));

        var names = Directory.GetFiles(_dir, "*.verified.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains($"SnapshotHelperTests.{nameof(SeveralSourcesCompileTogether)}#Shop.Orders.Routes.g.cs.verified.cs", names);
        Assert.Contains($"SnapshotHelperTests.{nameof(SeveralSourcesCompileTogether)}#Sake.Json.g.cs.verified.cs", names);
    }

    [Fact]
    public void SourcesThatDoNotCompileAreRefusedUnlessAllowed()
    {
        const string broken = """
            using Sake;

            public static partial class Broken
            {
                [Get("/x")]
                public static string X() => Missing.Value;
            }
            """;

        var e = Assert.Throws<InvalidOperationException>(() => SakeSnapshots.Verify(broken, Options(accept: true)));
        Assert.Contains("CS0103", e.Message);
        Assert.False(Directory.Exists(_dir) && Directory.EnumerateFiles(_dir).Any());

        SakeSnapshots.Verify(broken, Options(accept: true) with { AllowErrors = true });
        Assert.NotEmpty(Directory.GetFiles(_dir, "*.verified.cs"));
    }

    [Fact]
    public void SakeDiagnosticsAreReportedByGenerate()
    {
        var run = SakeSnapshots.Generate(["""
            using Sake;

            public static partial class Twice
            {
                [Get("/a")]
                public static string A() => "a";

                [Get("/a")]
                public static string B() => "b";
            }
            """]);

        Assert.False(run.IsClean);
        Assert.Contains(run.Diagnostics, d => d.Id.StartsWith("SAKE", StringComparison.Ordinal));
        Assert.Contains("SAKE", run.DescribeProblems());
    }

    [Fact]
    public void AMissingInputFileIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SakeSnapshots.VerifyFiles(["no-such-folder"], Options(accept: true)));
        Assert.Contains("no-such-folder", e.Message);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TheAcceptSwitchTakesOneOrTrue(string? value, bool accept) =>
        Assert.Equal(accept, SnapshotFiles.IsAcceptRequested(value));

    [Fact]
    public void ScrubbingRemovesLocationsVersionsAndCarriageReturns()
    {
        var scrubbed = SakeSnapshots.Scrub(
            "[global::System.Runtime.CompilerServices.InterceptsLocation(1, \"AbCd+/==\")]\r\n" +
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"1.2.3+abc\")]\r\n");

        Assert.Equal(
            "[global::System.Runtime.CompilerServices.InterceptsLocation(1, \"{location}\")]\n" +
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"{version}\")]\n",
            scrubbed);
    }

    private SnapshotOptions Options(bool accept) => new() { SnapshotDirectory = _dir, Accept = accept };

    private string Verified(string method) => Path.Combine(_dir, string.Format(RoutesFile, method) + ".verified.cs");
}

/// <summary>The environment variable is process-wide, so its test runs alone.</summary>
[CollectionDefinition(nameof(AcceptEnvironmentVariable), DisableParallelization = true)]
public sealed class AcceptEnvironmentVariable;

/// <summary>SAKE_ACCEPT_SNAPSHOTS=1 switches SakeSnapshots to accepting when the options leave it open.</summary>
[Collection(nameof(AcceptEnvironmentVariable))]
public sealed class AcceptEnvironmentVariableTests
{
    [Fact]
    public void TheEnvironmentVariableAcceptsNewOutput()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sake-snapshots-" + Guid.NewGuid().ToString("N"));
        var previous = Environment.GetEnvironmentVariable(SakeSnapshots.AcceptEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(SakeSnapshots.AcceptEnvironmentVariable, "1");
            SakeSnapshots.Verify("""
                using Sake;
                public static partial class Api { [Get("/")] public static string Root() => "root"; }
                """, new SnapshotOptions { SnapshotDirectory = dir });
            Assert.NotEmpty(Directory.GetFiles(dir, "*.verified.cs"));
            Assert.Empty(Directory.GetFiles(dir, "*.received.cs"));

            Environment.SetEnvironmentVariable(SakeSnapshots.AcceptEnvironmentVariable, null);
            Assert.Throws<SnapshotMismatchException>(() => SakeSnapshots.Verify("""
                using Sake;
                public static partial class Api { [Get("/other")] public static string Root() => "root"; }
                """, new SnapshotOptions { SnapshotDirectory = dir }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SakeSnapshots.AcceptEnvironmentVariable, previous);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
