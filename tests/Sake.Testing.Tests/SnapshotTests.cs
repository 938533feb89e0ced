namespace Sake.Testing.Tests;

/// <summary>
/// SakeSnapshots as a user would call it: the verified files under Snapshots/ beside this file are committed, so
/// these tests fail if the generated code for the handlers changes (accept with SAKE_ACCEPT_SNAPSHOTS=1).
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void HandlerFilesFromDisk() =>
        // Relative to this file's folder, so it does not matter where the test runs from.
        SakeSnapshots.VerifyFiles(["Handlers"]);

    [Fact]
    public void FluentRoutesInASource() => SakeSnapshots.Verify("""
        using Sake;

        public static class Program
        {
            public static void Main()
            {
                var app = new SakeApp();
                app.Get("/square/{n:int}", (int n) => n * n);
                app.Get("/fib/{n:int}", (int n) => n < 2 ? n : n - 1).Worker();
                app.Run();
            }
        }
        """);

    [Fact]
    public void TheVerifiedFilesAreScrubbedAndNamedByConvention()
    {
        var directory = SakeSnapshots.SnapshotDirectory();
        Assert.Equal(Path.Combine(Path.GetDirectoryName(ThisFile())!, "Snapshots"), directory);

        var interceptors = Path.Combine(directory, "SnapshotTests.FluentRoutesInASource#Sake.Interceptors.g.cs.verified.cs");
        var text = File.ReadAllText(interceptors);
        Assert.Contains("InterceptsLocation(1, \"{location}\")", text);
        Assert.Contains("GeneratedCode(\"Sake.Generators\", \"{version}\")", text);
        Assert.True(File.Exists(Path.Combine(directory, "SnapshotTests.HandlerFilesFromDisk#Sake.Testing.Tests.Handlers.GreetingApi.Routes.g.cs.verified.cs")));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
