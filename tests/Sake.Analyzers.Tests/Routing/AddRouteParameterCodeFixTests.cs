using Sake.Analyzers.CodeFixes.Routing;
using Sake.Analyzers.Routing;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Routing;

public sealed class AddRouteParameterCodeFixTests
{
    [Fact]
    public Task AddsATypedParameterToAnAttributeHandler() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>(
        """
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/users/{id:int}")|}]
            public static string User() => "u";

            [{|SAKE0015:Get("/items/{key:long}")|}]
            public static string Item(string name, int page = 1) => name;

            [{|SAKE0015:Get("/files/{*path}")|}]
            public static string File() => "f";
        }
        """,
        """
        using Sake;

        public static partial class Api
        {
            [Get("/users/{id:int}")]
            public static string User(int id) => "u";

            [Get("/items/{key:long}")]
            public static string Item(string name, long key, int page = 1) => name;

            [Get("/files/{*path}")]
            public static string File(string path) => "f";
        }
        """);

    [Theory]
    [InlineData("bool", "bool")]
    [InlineData("double", "double")]
    [InlineData("decimal", "decimal")]
    [InlineData("alpha", "string")]
    [InlineData("DateTime", "System.DateTime")]
    public Task TheTypeFollowsTheConstraint(string constraint, string type) => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>(
        $$"""
        public static partial class Api
        {
            [{|SAKE0015:Sake.Get("/v/{value:{{constraint}}}")|}]
            public static string V() => "v";
        }
        """,
        $$"""
        public static partial class Api
        {
            [Sake.Get("/v/{value:{{constraint}}}")]
            public static string V({{type}} value) => "v";
        }
        """);

    [Fact]
    public Task GuidIsWrittenShortWhereUsingSystemAllowsIt() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>(
        """
        using System;
        using Sake;

        public static partial class Api
        {
            [{|SAKE0015:Get("/users/{id:guid}")|}]
            public static string User() => "u";
        }

        public static partial class Other
        {
            [{|SAKE0015:Delete("/at/{when:datetime}")|}]
            public static string At() => "a";
        }
        """,
        """
        using System;
        using Sake;

        public static partial class Api
        {
            [Get("/users/{id:guid}")]
            public static string User(Guid id) => "u";
        }

        public static partial class Other
        {
            [Delete("/at/{when:datetime}")]
            public static string At(DateTime when) => "a";
        }
        """);

    [Fact]
    public Task AddsAParameterToAFluentLambdaOrMethodGroup() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>(
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get({|SAKE0015:"/users/{id:guid}"|}, () => "u");
                app.Post({|SAKE0015:"/orders/{orderId:int}"|}, (string note) => note);
                app.Put({|SAKE0015:"/x/{name}"|}, Handle);
                app.Delete({|SAKE0015:"/d/{id}"|}, delegate () { return "d"; });
            }

            private static string Handle(int page) => "h";
        }
        """,
        """
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("/users/{id:guid}", (System.Guid id) => "u");
                app.Post("/orders/{orderId:int}", (string note, int orderId) => note);
                app.Put("/x/{name}", Handle);
                app.Delete("/d/{id}", delegate (string id) { return "d"; });
            }

            private static string Handle(int page, string name) => "h";
        }
        """);

    /// <summary>
    /// A lambda with implicitly typed parameters cannot take a typed one, so it gets an untyped one; such a lambda only
    /// reaches a Delegate overload through a cast, whose delegate type the user then updates (CS1593 until then).
    /// </summary>
    [Fact]
    public Task AnImplicitlyTypedLambdaGetsAnUntypedParameter() => Verify.CodeFix<RouteParameterNotBoundAnalyzer, AddRouteParameterCodeFix>(
        """
        using System;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get({|SAKE0015:"/a/{id:int}"|}, (Func<int, string, string>)((page, x) => "a"));
                app.Post({|SAKE0015:"/b/{id:int}"|}, (Func<int, string>)(page => "b"));
            }
        }
        """,
        """
        using System;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app)
            {
                app.Get("/a/{id:int}", (Func<int, string, string>)((page, x, id) {|CS1593:=>|} "a"));
                app.Post("/b/{id:int}", (Func<int, string>)((page, id) {|CS1593:=>|} "b"));
            }
        }
        """);
}
