using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sake.Generators.Tests.Infrastructure;

namespace Sake.Generators.Tests;

/// <summary>
/// The generator must do no work for edits that do not concern it: every tracked step is Cached or Unchanged on the
/// second run, which only holds if the models compare by value and hold no symbols or syntax.
/// </summary>
public sealed class IncrementalityTests
{
    private const string Handlers = """
        using System.Text.Json.Serialization;
        using Sake;

        namespace Shop;

        public sealed record Order(string Id);

        [JsonSerializable(typeof(Order))]
        internal sealed partial class ShopJson : JsonSerializerContext;

        public static partial class Orders
        {
            [Post("/orders"), Worker]
            public static Order Place(Order order) => order;

            [Get("/orders/{id}")]
            public static string Get(string id, int page = 1) => id;
        }

        public sealed record Receipt(string OrderId, decimal Total);

        public static class Fluent
        {
            public static void Map(SakeApp app) => app.Get("/fluent/{n:int}", (int n) => new Receipt(n.ToString(), n));
        }
        """;

    private static readonly string[] TrackedSteps =
    [
        "Handlers", "AllHandlers", "JsonContexts", "AllJsonContexts", "Classes", "Class", "Emit", "Diagnostics",
        "FluentCalls", "AllFluentCalls", "InterceptorsEnabled", "Interceptors", "EmitInterceptors", "FluentDiagnostics",
        "SakeJson", "SakeJsonRoots", "SakeJsonTypes", "RouteCalls", "AllRouteCalls", "RouteTable",
        "LanguageVersion", "LanguageDiagnostic", "FailureTest",
    ];

    [Theory]
    [InlineData("add a file", null)]
    [InlineData("edit another file", "public static class Helper { public static int Two() => 2; }")]
    [InlineData("comment in another file", "// nothing here\npublic static class Helper { public static int One() => 1; }")]
    public void AnUnrelatedEditLeavesEveryStepCachedOrUnchanged(string edit, string? replacement)
    {
        var compilation = GeneratorHarness.Compile(Handlers, "public static class Helper { public static int One() => 1; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        Assert.NotEmpty(first.Results.Single(r => r.Generator.GetGeneratorType() == typeof(SakeGenerator)).GeneratedSources);

        Compilation next = replacement is null
            ? compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Added { }", GeneratorHarness.ParseOptions, path: "Added.cs"))
            : compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.ElementAt(1), CSharpSyntaxTree.ParseText(replacement, GeneratorHarness.ParseOptions, path: "Source1.cs"));
        driver = driver.RunGenerators(next);
        var second = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(SakeGenerator));

        var seen = new HashSet<string>();
        foreach (var (name, steps) in second.TrackedSteps)
        {
            if (!TrackedSteps.Contains(name))
            {
                continue;
            }

            seen.Add(name);
            foreach (var step in steps)
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"{edit}: step '{name}' ran with reason {reason}");
                }
            }
        }

        // Every named step must have been observed, or the test would pass by looking at nothing.
        Assert.Equal(TrackedSteps.Order(), seen.Order());
        foreach (var (_, outputs) in second.TrackedOutputSteps)
        {
            Assert.All(outputs.SelectMany(o => o.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{edit}: an output ran: {o.Reason}"));
        }
    }

    [Fact]
    public void EditingAHandlerReRunsOnlyWhatDependsOnIt()
    {
        var compilation = GeneratorHarness.Compile(Handlers);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var changed = Handlers.Replace("int page = 1", "int page = 2");
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText(changed, GeneratorHarness.ParseOptions, path: "Source0.cs")));
        var second = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(SakeGenerator));
        var emit = second.TrackedSteps["Emit"].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(emit, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("(int)2", second.GeneratedSources.Single(s => s.HintName.EndsWith(".Routes.g.cs", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void PipelineModelsHoldNoSymbolsSyntaxOrCompilations()
    {
        Type[] forbidden = [typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel)];
        var models = typeof(SakeGenerator).Assembly.GetTypes().Where(t => t.Namespace == "Sake.Generators.Model").ToList();
        Assert.Contains(models, t => t.Name == "HandlerParseResult");
        var visited = new HashSet<Type>();
        foreach (var model in models)
        {
            Walk(model, model.Name);
        }

        void Walk(Type type, string path)
        {
            if (!visited.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
            {
                return;
            }

            foreach (var bad in forbidden)
            {
                Assert.False(bad.IsAssignableFrom(type), $"{path} is a {bad.Name}");
            }

            foreach (var arg in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                Walk(arg, path + "<" + arg.Name + ">");
            }

            if (type.IsArray)
            {
                Walk(type.GetElementType()!, path + "[]");
            }

            if (type.Namespace?.StartsWith("Sake.Generators", StringComparison.Ordinal) != true)
            {
                return;
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Walk(field.FieldType, path + "." + field.Name);
            }
        }
    }
}
