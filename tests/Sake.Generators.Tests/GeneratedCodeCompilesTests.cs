using Sake.Generators.Tests.Infrastructure;

namespace Sake.Generators.Tests;

/// <summary>Valid C# a user may write must generate code that compiles (found by review; each once broke the build).</summary>
public sealed class GeneratedCodeCompilesTests
{
    [Fact]
    public void KeywordNamesAreEscaped() => GeneratorHarness.RunGenerators("""
        namespace @event
        {
            public static partial class @class
            {
                [Sake.Get("/a/{static}")]
                public static string @return(string @static, int @int = 1) => @static + @int;
            }
        }
        """).AssertClean();

    [Fact]
    public void OverloadedHandlersGetDistinctWrappers() => GeneratorHarness.RunGenerators("""
        using Sake;
        public static partial class Api
        {
            [Get("/x/{n:int}")] public static string X(int n) => "int";
            [Get("/x/{s}/more")] public static string X(string s) => "string";
        }
        """).AssertClean();

    [Fact]
    public void NestedAndTopLevelClassesWithTheSameFlattenedNameDoNotCollide()
    {
        var run = GeneratorHarness.RunGenerators("""
            using Sake;
            namespace N;
            public static partial class Outer
            {
                public static partial class Api { [Get("/a")] public static string A() => "a"; }
            }
            public static partial class OuterApi { [Get("/b")] public static string B() => "b"; }
            public static partial class A { public static partial class Api { [Get("/c")] public static string C() => "c"; } }
            public static partial class B { public static partial class Api { [Get("/d")] public static string D() => "d"; } }
            public static class Use
            {
                public static void Map(RouteGroup g) => g.MapOuter_Api().MapOuterApi().MapA_Api().MapB_Api();
            }
            """).AssertClean();
        // Four classes, plus the assembly's route table.
        Assert.Equal(5, run.SakeFiles.Count);
        Assert.Single(run.SakeFiles, f => f.HintName == "Sake.RouteTable.g.cs");
    }

    [Theory]
    [InlineData("record")]
    [InlineData("record struct")]
    [InlineData("struct")]
    [InlineData("interface")]
    public void HandlersInRecordsStructsAndInterfaces(string keyword) => GeneratorHarness.RunGenerators($$"""
        using Sake;
        public partial {{keyword}} Api
        {
            [Get("/a")] public static string A() => "a";
        }
        """).AssertClean();

    [Fact]
    public void ValueTypeAndOptionalJsonBodies() => GeneratorHarness.RunGenerators("""
        using System.Text.Json.Serialization;
        using Sake;
        public struct S { public int X { get; set; } }
        public sealed record R(int Y);
        [JsonSerializable(typeof(S))]
        [JsonSerializable(typeof(R))]
        [JsonSerializable(typeof(int))]
        internal sealed partial class J : JsonSerializerContext;
        public static partial class Api
        {
            [Post("/s")] public static int TakeS(S s) => s.X;
            [Post("/n")] public static int TakeN([FromBody] int n) => n;
            [Post("/r")] public static int TakeR(R? r = null) => r?.Y ?? -1;
            [Post("/nullable-s")] public static int TakeNullableS([FromBody] S? s) => s?.X ?? -1;
        }
        """).AssertClean();

    [Fact]
    public void PolymorphicInterfacesAndAbstractBasesWithoutAContext() => GeneratorHarness.RunGenerators("""
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using Sake;
        [JsonDerivedType(typeof(Dog), "dog")]
        [JsonDerivedType(typeof(Cat), "cat")]
        public interface IAnimal { string Name { get; } }
        public sealed record Dog(string Name, bool Good) : IAnimal;
        public sealed record Cat(string Name, int Lives) : IAnimal;
        [JsonDerivedType(typeof(Leaf))]
        public abstract class Node { public int Id { get; set; } }
        public sealed class Leaf : Node { public string Text { get; set; } = ""; }
        public static partial class Api
        {
            [Post("/animals")] public static List<IAnimal> Echo(List<IAnimal> animals) => animals;
            [Get("/node")] public static Node Get() => new Leaf();
        }
        """).AssertClean();

    [Fact]
    public void TupleResultsMatchTheirContextEntry() => GeneratorHarness.RunGenerators("""
        using System.Text.Json.Serialization;
        using Sake;
        [JsonSerializable(typeof((int, string)))]
        internal sealed partial class J : JsonSerializerContext;
        public static partial class Api
        {
            [Get("/t")] public static (int A, string B) T() => (1, "b");
        }
        """).AssertClean();

    [Fact]
    public void AContextTheGeneratedCodeCannotReachIsIgnoredAndSakeMetadataIsUsed()
    {
        var run = GeneratorHarness.RunGenerators("""
            using System.Text.Json.Serialization;
            using Sake;
            public sealed record R(int Y);
            public static partial class Holder
            {
                [JsonSerializable(typeof(R))]
                private sealed partial class J : JsonSerializerContext;
            }
            public static partial class Api
            {
                [Get("/r")] public static R Get() => new(1);
            }
            """).AssertClean();
        Assert.Contains(run.SakeFiles, f => f.HintName == "Sake.Json.g.cs");
        Assert.DoesNotContain("Holder.J", run.SakeFiles.Single(f => f.HintName == "Api.Routes.g.cs").Source);
    }

    [Fact]
    public void AClassThatAlreadyHasAMapMethodStillCompiles() => GeneratorHarness.RunGenerators("""
        using Sake;
        public static partial class Api
        {
            public static RouteGroup MapSakeRoutes(RouteGroup g) => g;
            [Get("/a")] public static string A() => "a";
        }
        """).AssertClean();

    /// <summary>The samples' sources parse and compile in the test harness (C# 13, the samples' pinned version).</summary>
    [Theory]
    [InlineData("HelloWorld")]
    [InlineData("CpuBound")]
    [InlineData("TodoApi")]
    public void TheSamplesCompileWithTheGeneratorInTheHarness(string sample)
    {
        string dir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "samples", sample));
        // The SDK's implicit usings for a console app, which the samples rely on.
        const string implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        var sources = Directory.GetFiles(dir, "*.cs").Select(File.ReadAllText).Append(implicitUsings).ToArray();
        Assert.NotEmpty(sources);
        var compilation = GeneratorHarness.Compile(sources).WithOptions(
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.ConsoleApplication, nullableContextOptions: Microsoft.CodeAnalysis.NullableContextOptions.Enable));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        foreach (var r in driver.GetRunResult().Results)
        {
            Assert.Null(r.Exception);
        }

        var errors = output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
