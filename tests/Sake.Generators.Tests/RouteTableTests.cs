using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Sake.Generated;
using Sake.Generators.Tests.Infrastructure;
using Sake.Routing;

namespace Sake.Generators.Tests;

/// <summary>
/// The generated route table must answer exactly like the runtime router: same route, same captured ranges, for any
/// subset of its routes the app registers. Random route sets are compiled, loaded, and compared path by path.
/// </summary>
public class RouteTableTests
{
    private static readonly string[] Methods = ["GET", "POST", "HEAD"];
    private static readonly string[] Literals = ["a", "A", "b", "ab", "users", "x", "Users"];
    private static readonly string[] Constraints = ["", "", "", "int", "long", "bool", "guid", "alpha", "double", "decimal", "datetime"];
    private static readonly string[] PathSegments =
    [
        "a", "A", "b", "ab", "users", "USERS", "x", "1", "-2", "42", "99999999999", "99999999999999999999", "true", "False",
        "1.5", "1e3", "abc", "2024-01-01", "d3b07384-d9a7-4f3b-8c6e-1f2a3b4c5d6e", "", "%20", "é",
    ];

    [Fact]
    public void TheGeneratedTableAgreesWithTheRuntimeRouterOnRandomRouteSets()
    {
        var random = new Random(20261129);
        int compared = 0, matched = 0;
        for (int set = 0; set < 16; set++)
        {
            var routes = RandomRoutes(random, 12 + random.Next(30));
            var table = CompileTable(routes);
            Assert.Equal(routes.Count, table.Count);

            // The app registers a subset (the table holds every constant route of the assembly), without conflicts.
            var tree = new Router<string>();
            var withTable = new Router<string>();
            var added = new List<(RouteMethod, string, string, int)>();
            foreach (var (method, pattern) in routes)
            {
                if (random.Next(4) == 0)
                {
                    continue;
                }

                var m = Parse(method);
                string endpoint = method + " " + pattern;
                try
                {
                    var parsed = tree.Add(m, pattern, endpoint);
                    withTable.Add(m, pattern, endpoint);
                    added.Add((m, pattern, endpoint, parsed.ParameterNames.Length));
                }
                catch (ArgumentException)
                {
                    // An equivalent pattern is already registered: the app could not register both either.
                }
            }

            Assert.True(withTable.UseTable(table, added));
            Assert.Same(table, withTable.Table);

            var paths = RandomPaths(random, routes, 400);
            var expectedValues = new Range[RoutePattern.MaxParameterCount];
            var actualValues = new Range[RoutePattern.MaxParameterCount];
            foreach (var path in paths)
            {
                foreach (var method in Methods)
                {
                    var m = Parse(method);
                    string? expected = tree.Match(m, path, expectedValues, out int expectedCount);
                    string? actual = withTable.Match(m, path, actualValues, out int actualCount);
                    Assert.True(expected == actual, $"{method} {path}: the tree matched '{expected}', the generated table '{actual}'.\n{Describe(routes, added)}");
                    Assert.Equal(expectedCount, actualCount);
                    for (int i = 0; i < expectedCount; i++)
                    {
                        Assert.True(expectedValues[i].Equals(actualValues[i]), $"{method} {path} → {expected}: value {i} is {actualValues[i]}, the tree says {expectedValues[i]}.");
                    }

                    compared++;
                    matched += expected is null ? 0 : 1;
                }
            }
        }

        // Not a vacuous comparison: a good share of the paths hit routes.
        Assert.True(matched > compared / 10, $"only {matched} of {compared} lookups matched a route");
    }

    [Fact]
    public void ATableThatDoesNotKnowARegisteredRouteIsNotUsed()
    {
        var table = CompileTable([("GET", "/a/{id:int}"), ("POST", "/a")]);
        var router = new Router<string>();
        router.Add(RouteMethod.Get, "/a/{id:int}", "known");
        router.Add(RouteMethod.Get, "/b", "unknown");
        Assert.False(router.UseTable(table, [(RouteMethod.Get, "/a/{id:int}", "known", 1), (RouteMethod.Get, "/b", "unknown", 0)]));
        Assert.Null(router.Table);
        Assert.Equal("unknown", router.Match(RouteMethod.Get, "/b", new Range[16], out _));

        // The same text under another method, or a different spelling of an equivalent pattern, is another route.
        Assert.Equal(-1, table.IdOf(RouteMethod.Get, "/a"));
        Assert.Equal(-1, table.IdOf(RouteMethod.Get, "/A/{id:int}"));
        Assert.True(table.IdOf(RouteMethod.Post, "/a") >= 0);
    }

    [Fact]
    public void AValueBufferSizedForTheRegisteredRoutesOnlyIsAnsweredByTheTree()
    {
        // The table may write capture slots for routes the app did not register (found by review).
        var table = CompileTable([("GET", "/{a}/{b}/{c}"), ("GET", "/x")]);
        var router = new Router<string>();
        router.Add(RouteMethod.Get, "/x", "x");
        Assert.True(router.UseTable(table, [(RouteMethod.Get, "/x", "x", 0)]));
        Assert.Null(router.Match(RouteMethod.Get, "/q/w/e", Span<Range>.Empty, out _));
        Assert.Equal("x", router.Match(RouteMethod.Get, "/x", Span<Range>.Empty, out _));
    }

    [Fact]
    public void OnlyConstantRoutesOnRouteGroupEnterTheTable()
    {
        var run = GeneratorHarness.RunGenerators("""
            using Sake;
            public static class Routes
            {
                const string Users = "/users";
                public static void Map(RouteGroup app, RequestHandler h, string dynamic)
                {
                    app.Get(Users, h);
                    app.Get(Users + "/{id:int}", h);
                    app.Map("DELETE", "/users/{id:int}", h);
                    app.Head("/ping", h);
                    app.Options("/ping", h);
                    app.Get(dynamic, h);                 // not a constant
                    app.Map("get", "/lower", h);         // not a routable method: the runtime throws
                    app.Get("/bad/", h);                  // invalid: the runtime throws
                    app.Map(pattern: "/named", method: "GET", handler: h);
                    app.Group("/api").Post("/items", h); // the pattern as written; the prefix is a run-time value
                    new Other().Get("/other", h);
                }
            }
            public sealed class Other { public void Get(string p, RequestHandler h) { } }
            """).AssertClean();
        var source = run.SakeFiles.Single(f => f.HintName == "Sake.RouteTable.g.cs").Source;
        string table = source.Substring(source.IndexOf("new string[]", StringComparison.Ordinal));
        table = table.Substring(0, table.IndexOf("})", StringComparison.Ordinal));
        Assert.Equal(
            ["GET /users", "GET /users/{id:int}", "POST /items", "DELETE /users/{id:int}", "HEAD /ping", "OPTIONS /ping"],
            table.Split('\n').Select(l => l.Trim().TrimEnd(',')).Where(l => l.StartsWith('"')).Select(l => l.Trim('"')).ToArray());
    }

    private static GeneratedRouteTable CompileTable(IReadOnlyList<(string Method, string Pattern)> routes)
    {
        var source = new StringBuilder("using Sake;\npublic static class Routes\n{\n    public static void Map(RouteGroup app, RequestHandler h)\n    {\n");
        foreach (var (method, pattern) in routes)
        {
            source.Append($"        app.Map(\"{method}\", \"{pattern}\", h);\n");
        }

        source.Append("    }\n}\n");
        var run = GeneratorHarness.RunGenerators(source.ToString()).AssertClean();
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;

        // Sake.Runtime resolves to the already loaded copy, so the base type is the one the router knows.
        var context = new AssemblyLoadContext("route-table-" + Guid.NewGuid(), isCollectible: true);
        var assembly = context.LoadFromStream(image);
        var type = assembly.GetTypes().Single(t => t.BaseType == typeof(GeneratedRouteTable));
        return (GeneratedRouteTable)Activator.CreateInstance(type, nonPublic: true)!;
    }

    private static List<(string Method, string Pattern)> RandomRoutes(Random random, int count)
    {
        var routes = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (routes.Count < count)
        {
            var text = new StringBuilder();
            int segments = random.Next(5);
            int parameters = 0;
            for (int s = 0; s < segments; s++)
            {
                text.Append('/');
                int kind = random.Next(10);
                if (kind < 5)
                {
                    text.Append(Literals[random.Next(Literals.Length)]);
                }
                else if (kind < 9 || s < segments - 1)
                {
                    string constraint = Constraints[random.Next(Constraints.Length)];
                    text.Append("{p").Append(parameters++).Append(constraint.Length > 0 ? ":" + constraint : "").Append('}');
                }
                else
                {
                    text.Append("{*rest}");
                }
            }

            string pattern = text.Length == 0 ? "/" : text.ToString();
            string method = Methods[random.Next(Methods.Length)];
            if (seen.Add(method + " " + pattern))
            {
                routes.Add((method, pattern));
            }
        }

        return routes;
    }

    private static List<string> RandomPaths(Random random, List<(string Method, string Pattern)> routes, int count)
    {
        var paths = new List<string> { "/", "//", "/a/", "/users//x" };
        while (paths.Count < count)
        {
            var text = new StringBuilder();
            if (random.Next(2) == 0)
            {
                // Shaped like a route: its literals (case changed at times) with random values in its parameters.
                var (_, pattern) = routes[random.Next(routes.Count)];
                foreach (var segment in pattern == "/" ? [] : pattern[1..].Split('/'))
                {
                    text.Append('/');
                    if (segment.StartsWith('{'))
                    {
                        int parts = segment.StartsWith("{*", StringComparison.Ordinal) ? random.Next(3) : 1;
                        for (int p = 0; p < parts; p++)
                        {
                            text.Append(p > 0 ? "/" : "").Append(PathSegments[random.Next(PathSegments.Length)]);
                        }
                    }
                    else
                    {
                        text.Append(random.Next(3) == 0 ? segment.ToUpperInvariant() : segment);
                    }
                }

                if (random.Next(8) == 0)
                {
                    text.Append('/').Append(PathSegments[random.Next(PathSegments.Length)]);
                }
            }
            else
            {
                int segments = random.Next(6);
                for (int s = 0; s < segments; s++)
                {
                    text.Append('/').Append(PathSegments[random.Next(PathSegments.Length)]);
                }
            }

            paths.Add(text.Length == 0 ? "/" : text.ToString());
        }

        return paths;
    }

    private static RouteMethod Parse(string method) => method switch
    {
        "GET" => RouteMethod.Get,
        "POST" => RouteMethod.Post,
        "HEAD" => RouteMethod.Head,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static string Describe(List<(string Method, string Pattern)> routes, List<(RouteMethod, string, string, int)> added) =>
        "Table: " + string.Join(", ", routes.Select(r => r.Method + " " + r.Pattern)) + "\nRegistered: " + string.Join(", ", added.Select(a => a.Item3));
}
