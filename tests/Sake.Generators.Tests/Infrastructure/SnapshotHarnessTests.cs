using Xunit.Sdk;

namespace Sake.Generators.Tests.Infrastructure;

/// <summary>
/// Tests of the snapshot harness itself. They run against a throwaway folder with an explicit accept flag, so
/// they neither touch the real Snapshots/ folder nor react to SAKE_ACCEPT_SNAPSHOTS.
/// </summary>
public sealed class SnapshotHarnessTests : IDisposable
{
    private const string Class = "RoutesTests";
    private const string Method = "Fib";
    private const string Hint = "MathApi.Routes.g.cs";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sake-snapshot-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Gives each test (xunit makes a new instance per test) its own empty folder.</summary>
    public SnapshotHarnessTests() => Directory.CreateDirectory(_dir);

    /// <summary>Removes the test's folder.</summary>
    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Match_passes_and_removes_a_leftover_received_file()
    {
        File.WriteAllText(VerifiedPath(), "class A\n{\n}\n");
        File.WriteAllText(ReceivedPath(), "old failure output");

        Run("class A\n{\n}\n");

        Assert.False(File.Exists(ReceivedPath()));
        Assert.Equal("class A\n{\n}\n", File.ReadAllText(VerifiedPath()));
    }

    [Fact]
    public void Match_ignores_line_ending_differences_on_either_side()
    {
        File.WriteAllText(VerifiedPath(), "class A\r\n{\r\n}\r\n");
        Run("class A\n{\n}\n");

        File.WriteAllText(VerifiedPath(), "class A\n{\n}\n");
        Run("class A\r\n{\r\n}\r\n");
    }

    [Fact]
    public void Mismatch_fails_with_a_context_diff_and_writes_the_received_file()
    {
        var verified = Lines(1, 20);
        var generated = verified.Replace("line 10\n", "changed 10\n", StringComparison.Ordinal);
        File.WriteAllText(VerifiedPath(), verified);

        var message = Assert.ThrowsAny<XunitException>(() => Run(generated)).Message;

        Assert.Contains($"mismatch: {Class}.{Method}#{Hint}.verified.cs", message);
        Assert.Contains(ReceivedPath(), message);
        Assert.Contains("@@ -7,7 +7,7 @@", message);
        Assert.Contains("\n- line 10\n+ changed 10\n", message);
        Assert.Contains("\n  line 07\n  line 08\n  line 09\n", message);
        Assert.EndsWith("\n  line 11\n  line 12\n  line 13", message);
        // Only three lines of context: the rest of the file stays out of the message.
        Assert.DoesNotContain("line 06", message);
        Assert.DoesNotContain("line 14", message);
        Assert.Contains("SAKE_ACCEPT_SNAPSHOTS=1 dotnet test tests/Sake.Generators.Tests", message);

        Assert.Equal(generated, File.ReadAllText(ReceivedPath()));
        Assert.Equal(verified, File.ReadAllText(VerifiedPath()));
    }

    [Fact]
    public void Mismatch_diff_splits_distant_changes_into_hunks()
    {
        var verified = Lines(1, 60);
        var generated = verified
            .Replace("line 05\n", "edit 05\n", StringComparison.Ordinal)
            .Replace("line 50\n", "", StringComparison.Ordinal);
        File.WriteAllText(VerifiedPath(), verified);

        var message = Assert.ThrowsAny<XunitException>(() => Run(generated)).Message;

        Assert.Contains("@@ -2,7 +2,7 @@", message);
        Assert.Contains("@@ -47,7 +47,6 @@", message);
        Assert.Contains("\n- line 50\n  line 51\n", message);
        Assert.DoesNotContain("line 30", message);
    }

    [Fact]
    public void Mismatch_message_is_capped()
    {
        File.WriteAllText(VerifiedPath(), Lines(1, 1000));

        var message = Assert.ThrowsAny<XunitException>(() => Run(Lines(1001, 2000))).Message;

        Assert.InRange(message.Split('\n').Length, 150, 200);
        Assert.Contains("more lines cut; the .received.cs files hold the full output.", message);
        Assert.Equal(Lines(1001, 2000), File.ReadAllText(ReceivedPath()));
    }

    [Fact]
    public void Mismatch_in_the_final_newline_alone_is_reported_as_such()
    {
        File.WriteAllText(VerifiedPath(), "class A\n{\n}\n");

        var message = Assert.ThrowsAny<XunitException>(() => Run("class A\n{\n}")).Message;

        Assert.EndsWith("(no line differs; only the newline at the end of the file does)", message);
    }

    [Fact]
    public void Missing_verified_file_fails_and_writes_the_received_file()
    {
        // The Snapshots folder of a fresh test project does not exist yet either.
        var dir = Path.Combine(_dir, "Snapshots");

        var message = Assert.ThrowsAny<XunitException>(
            () => Snapshot.VerifyIn(dir, Class, Method, null, [(Hint, "class A\n{\n}\n")], accept: false)).Message;

        Assert.Contains($"missing: {Class}.{Method}#{Hint}.verified.cs does not exist yet", message);
        Assert.EndsWith("\n@@ -0,0 +1,3 @@\n+ class A\n+ {\n+ }", message);
        Assert.Equal("class A\n{\n}\n", File.ReadAllText(Path.Combine(dir, $"{Class}.{Method}#{Hint}.received.cs")));
        Assert.False(File.Exists(Path.Combine(dir, $"{Class}.{Method}#{Hint}.verified.cs")));
    }

    [Fact]
    public void Accept_writes_verified_files_and_removes_received_ones()
    {
        File.WriteAllText(VerifiedPath(), "old\n");
        File.WriteAllText(ReceivedPath(), "new\n");

        Snapshot.VerifyIn(_dir, Class, Method, null, [(Hint, "new\n"), ("Other.g.cs", "other\n")], accept: true);

        Assert.Equal("new\n", File.ReadAllText(VerifiedPath()));
        Assert.Equal("other\n", File.ReadAllText(VerifiedPath("Other.g.cs")));
        Assert.False(File.Exists(ReceivedPath()));
        // What was accepted now passes without the switch.
        Snapshot.VerifyIn(_dir, Class, Method, null, [(Hint, "new\n"), ("Other.g.cs", "other\n")], accept: false);
    }

    [Fact]
    public void Stale_verified_file_fails_and_other_tests_files_are_left_alone()
    {
        File.WriteAllText(VerifiedPath(), "same\n");
        File.WriteAllText(VerifiedPath("Removed.g.cs"), "gone\n");
        var unrelated = WriteUnrelatedSnapshots();

        var message = Assert.ThrowsAny<XunitException>(() => Run("same\n")).Message;

        Assert.Contains(
            $"stale snapshot: {VerifiedPath("Removed.g.cs")} has no generated counterpart; delete it or run with SAKE_ACCEPT_SNAPSHOTS=1",
            message);
        Assert.DoesNotContain("mismatch", message);
        foreach (var path in unrelated)
        {
            Assert.DoesNotContain(Path.GetFileName(path), message);
        }

        Assert.True(File.Exists(VerifiedPath("Removed.g.cs")));
    }

    [Fact]
    public void Stale_verified_file_is_deleted_in_accept_mode()
    {
        File.WriteAllText(VerifiedPath(), "same\n");
        File.WriteAllText(VerifiedPath("Removed.g.cs"), "gone\n");
        File.WriteAllText(ReceivedPath("Removed.g.cs"), "leftover\n");
        var unrelated = WriteUnrelatedSnapshots();

        Run("same\n", accept: true);

        Assert.False(File.Exists(VerifiedPath("Removed.g.cs")));
        Assert.False(File.Exists(ReceivedPath("Removed.g.cs")));
        Assert.True(File.Exists(VerifiedPath()));
        Assert.All(unrelated, path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public void Variant_is_appended_to_the_method_part()
    {
        Assert.ThrowsAny<XunitException>(() => Run("x\n", variant: "post"));
        Assert.True(File.Exists(ReceivedPath(variant: "post")));

        Run("x\n", variant: "post", accept: true);

        Assert.True(File.Exists(Path.Combine(_dir, $"{Class}.{Method}_post#{Hint}.verified.cs")));
        Assert.False(File.Exists(ReceivedPath(variant: "post")));
        // Another case of the same theory neither sees that file as stale nor is affected by it.
        Run("y\n", variant: "get", accept: true);
        Run("x\n", variant: "post");
    }

    [Fact]
    public void Scrub_replaces_interceptor_locations_generator_version_and_line_endings()
    {
        var source =
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"1.2.3+4f2a9c\")]\r\n" +
            "[global::System.CodeDom.Compiler.GeneratedCodeAttribute( \"Sake.Generators\" , \"0.1.0\" )]\r" +
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Other.Tool\", \"9.9.9\")]\n" +
            "[global::System.Runtime.CompilerServices.InterceptsLocation(1, \"AbCd+/Ef0123==\")]\n" +
            "[InterceptsLocation( 1 ,\n    \"xyz=\" )]\n";

        var scrubbed = Snapshot.Scrub(source);

        Assert.Equal(
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"{version}\")]\n" +
            "[global::System.CodeDom.Compiler.GeneratedCodeAttribute( \"Sake.Generators\" , \"{version}\" )]\n" +
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Other.Tool\", \"9.9.9\")]\n" +
            "[global::System.Runtime.CompilerServices.InterceptsLocation(1, \"{location}\")]\n" +
            "[InterceptsLocation(1, \"{location}\")]\n",
            scrubbed);
    }

    [Fact]
    public void Scrubbing_happens_before_comparing_and_writing()
    {
        const string Generated =
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"1.0.0\")]\n" +
            "[global::System.Runtime.CompilerServices.InterceptsLocation(1, \"QUJDRA==\")]\n";
        const string Scrubbed =
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"{version}\")]\n" +
            "[global::System.Runtime.CompilerServices.InterceptsLocation(1, \"{location}\")]\n";

        Assert.ThrowsAny<XunitException>(() => Run(Generated));
        Assert.Equal(Scrubbed, File.ReadAllText(ReceivedPath()));

        File.WriteAllText(VerifiedPath(), Scrubbed);
        Run(Generated.Replace("1.0.0", "2.0.0", StringComparison.Ordinal).Replace("QUJDRA==", "RUZHSA==", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Accept_switch_is_1_or_true(string? value, bool expected)
    {
        Assert.Equal(expected, Snapshot.IsAcceptRequested(value));
    }

    [Theory]
    [InlineData("Bad/Name.g.cs")]
    [InlineData("Bad\\Name.g.cs")]
    [InlineData("Bad#Name.g.cs")]
    [InlineData("")]
    public void Hint_names_that_cannot_be_file_names_are_rejected(string hint)
    {
        Assert.ThrowsAny<ArgumentException>(() => Run("x\n", hint: hint));
    }

    [Fact]
    public void Duplicate_hint_names_and_dotted_class_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(
            () => Snapshot.VerifyIn(_dir, Class, Method, null, [(Hint, "a"), (Hint, "b")], accept: true));
        Assert.Throws<ArgumentException>(
            () => Snapshot.VerifyIn(_dir, "RoutesTests.Part", Method, null, [(Hint, "a")], accept: true));
        Assert.Empty(Directory.EnumerateFiles(_dir));
    }

    [Fact]
    public void FindOrphans_reports_files_that_no_test_method_can_produce()
    {
        const string Self = nameof(SnapshotHarnessTests);
        string[] owned =
        [
            $"{Self}.{nameof(Match_passes_and_removes_a_leftover_received_file)}#A.g.cs.verified.cs",
            // A [Theory] case: the method name plus _{variant}.
            $"{Self}.{nameof(Accept_switch_is_1_or_true)}_on#A.g.cs.verified.cs",
        ];
        string[] orphaned =
        [
            $"{Self}.NoSuchTest#A.g.cs.verified.cs",
            // Public but not a test.
            $"{Self}.{nameof(Dispose)}#A.g.cs.verified.cs",
            // Starts with a test's name but is not that name plus _{variant}.
            $"{Self}.{nameof(Accept_switch_is_1_or_true)}x#A.g.cs.verified.cs",
            $"NoSuchClass.{nameof(Match_passes_and_removes_a_leftover_received_file)}#A.g.cs.verified.cs",
            "not-a-snapshot-name.verified.cs",
        ];
        foreach (var name in owned.Concat(orphaned))
        {
            File.WriteAllText(Path.Combine(_dir, name), "");
        }

        // Only verified files are candidates.
        File.WriteAllText(Path.Combine(_dir, $"{Self}.NoSuchTest#A.g.cs.received.cs"), "");

        var orphans = Snapshot.FindOrphans(typeof(SnapshotHarnessTests).Assembly, _dir);

        Assert.Equal(orphaned.Select(n => Path.Combine(_dir, n)).Order(StringComparer.Ordinal), orphans);
        Assert.Empty(Snapshot.FindOrphans(typeof(SnapshotHarnessTests).Assembly, Path.Combine(_dir, "absent")));
    }

    [Fact]
    public void SnapshotDirectory_is_Snapshots_beside_the_nearest_project_file()
    {
        var project = Path.Combine(_dir, "Proj");
        var testFile = Path.Combine(project, "Feature", "Deep", "RoutesTests.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(testFile)!);
        File.WriteAllText(Path.Combine(project, "Proj.csproj"), "<Project />");

        Assert.Equal(Path.Combine(project, "Snapshots"), Snapshot.SnapshotDirectory(testFile));

        // Called from this file, it lands beside the real test project.
        var real = Snapshot.SnapshotDirectory();
        Assert.Equal("Snapshots", Path.GetFileName(real));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.GetDirectoryName(real)!, "*.csproj"));
    }

    private void Run(string source, bool accept = false, string? variant = null, string hint = Hint) =>
        Snapshot.VerifyIn(_dir, Class, Method, variant, [(hint, source)], accept);

    private string VerifiedPath(string hint = Hint, string? variant = null) =>
        Path.Combine(_dir, $"{Class}.{Method}{(variant is null ? "" : "_" + variant)}#{hint}.verified.cs");

    private string ReceivedPath(string hint = Hint, string? variant = null) =>
        Path.Combine(_dir, $"{Class}.{Method}{(variant is null ? "" : "_" + variant)}#{hint}.received.cs");

    /// <summary>Snapshots of other methods, other theory cases and other classes, which one call must not touch.</summary>
    private List<string> WriteUnrelatedSnapshots()
    {
        List<string> paths =
        [
            Path.Combine(_dir, $"{Class}.{Method}_variant#{Hint}.verified.cs"),
            Path.Combine(_dir, $"{Class}.{Method}Slow#{Hint}.verified.cs"),
            Path.Combine(_dir, $"OtherTests.{Method}#{Hint}.verified.cs"),
        ];
        foreach (var path in paths)
        {
            File.WriteAllText(path, "unrelated\n");
        }

        return paths;
    }

    private static string Lines(int from, int to)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = from; i <= to; i++)
        {
            sb.Append("line ").Append(i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }
}
