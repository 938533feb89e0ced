using Sake.Analyzers.CodeFixes.Routing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Routing;

/// <summary>SAKE0001 comes from the generator: these tests run it, fix what it reports, and run it again on the result.</summary>
public sealed class MakePartialCodeFixTests
{
    [Fact]
    public Task MakesTheHandlerClassPartial() => Verify.GeneratorCodeFix<MakePartialCodeFix>(
        """
        using Sake;

        public static class {|SAKE0001:Api|}
        {
            [Get("/a")] public static string A() => "a";
        }
        """,
        """
        using Sake;

        public static partial class Api
        {
            [Get("/a")] public static string A() => "a";
        }
        """);

    [Fact]
    public Task MakesEveryContainingTypeThatLacksItPartial() => Verify.GeneratorCodeFix<MakePartialCodeFix>(
        """
        using Sake;

        namespace App;

        public partial class Outer
        {
            internal class Middle
            {
                // Handlers of the users area.
                internal class {|SAKE0001:Users|}
                {
                    [Get("/u")] public static string U() => "u";
                }
            }
        }
        """,
        """
        using Sake;

        namespace App;

        public partial class Outer
        {
            internal partial class Middle
            {
                // Handlers of the users area.
                internal partial class Users
                {
                    [Get("/u")] public static string U() => "u";
                }
            }
        }
        """);

    [Fact]
    public Task WorksForRecordsAndStructs() => Verify.GeneratorCodeFix<MakePartialCodeFix>(
        """
        using Sake;

        public record {|SAKE0001:Api|}
        {
            [Get("/a")] public static string A() => "a";
        }

        public readonly struct {|SAKE0001:Other|}
        {
            [Get("/b")] public static string B() => "b";
        }
        """,
        """
        using Sake;

        public partial record Api
        {
            [Get("/a")] public static string A() => "a";
        }

        public readonly partial struct Other
        {
            [Get("/b")] public static string B() => "b";
        }
        """);
}
