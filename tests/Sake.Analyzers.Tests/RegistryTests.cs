using System.Reflection;
using Microsoft.CodeAnalysis.Diagnostics;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Tests;

/// <summary>
/// The ID registry against everything that must follow it: a docs page per ID (title as registered), a row in the
/// index, a line in release tracking, a help link; and each ID reported by one analyzer at most.
/// </summary>
public sealed class RegistryTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var d in DiagnosticDescriptors.Registry)
        {
            data.Add(d.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdHasAPageARowAReleaseLineAndAHelpLink(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        Assert.Equal($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri);

        string page = Path.Combine(Root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        string[] lines = File.ReadAllLines(page);
        Assert.Equal($"# {id}: {descriptor.Title}", lines[0]);
        foreach (var section in new[] { "## What it means", "## Why it matters", "## Wrong", "## Right", "## How to fix" })
        {
            Assert.Contains(section, lines);
        }

        Assert.Contains($"| [{id}]({id}.md) | {descriptor.Title} | {descriptor.DefaultSeverity} |", File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", "README.md")));
        string releases = File.ReadAllText(Path.Combine(Root, "src", "Sake.Generators", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(Root, "src", "Sake.Generators", "AnalyzerReleases.Shipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases);
    }

    [Fact]
    public void NoIdIsReportedByTwoAnalyzersAndNoPageIsOrphaned()
    {
        var owners = new Dictionary<string, string>();
        foreach (var type in typeof(Sake.Analyzers.Workers.WorkerRouteVisibilityAnalyzer).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null)
            {
                continue;
            }

            var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(type)!;
            foreach (var d in analyzer.SupportedDiagnostics)
            {
                Assert.False(owners.TryGetValue(d.Id, out var other), $"{d.Id} is reported by both {other} and {type.Name}");
                owners[d.Id] = type.Name;
            }
        }

        Assert.NotEmpty(owners);
        var ids = DiagnosticDescriptors.Registry.Select(d => d.Id).ToHashSet();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs", "diagnostics"), "SAKE*.md"))
        {
            Assert.Contains(Path.GetFileNameWithoutExtension(file), ids);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sake.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sake.sln not found above " + AppContext.BaseDirectory);
    }
}
