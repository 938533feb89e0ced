using BenchmarkDotNet.Attributes;
using Sake.Routing;

namespace Sake.Benchmarks;

/// <summary>
/// What matching a request path costs: the runtime's tree against the generated route table (the same 51 routes,
/// <see cref="RouterBenchmarkRoutes"/>): a literal route, a two-parameter route, a catch-all, a miss.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class RouterBenchmarks
{
    private readonly Router<object> _router = new();
    private readonly Router<object> _generated = new();
    private readonly Range[] _values = new Range[RoutePattern.MaxParameterCount];

    [GlobalSetup]
    public void Setup()
    {
        string[] resources = ["users", "orders", "products", "invoices", "carts", "reviews", "coupons", "shipments", "returns", "tickets"];
        var added = new List<(RouteMethod, string, object, int)>();
        void Add(RouteMethod method, string pattern)
        {
            var endpoint = new object();
            var parsed = _router.Add(method, pattern, endpoint);
            _generated.Add(method, pattern, endpoint);
            added.Add((method, pattern, endpoint, parsed.ParameterNames.Length));
        }

        foreach (var r in resources)
        {
            Add(RouteMethod.Get, $"/api/{r}");
            Add(RouteMethod.Post, $"/api/{r}");
            Add(RouteMethod.Get, $"/api/{r}/{{id:int}}");
            Add(RouteMethod.Put, $"/api/{r}/{{id:int}}");
            Add(RouteMethod.Get, $"/api/{r}/{{id:int}}/history/{{version}}");
        }

        Add(RouteMethod.Get, "/static/{*path}");
        bool found = false;
        foreach (var table in Sake.Generated.GeneratedRouteTable.Registered)
        {
            found |= _generated.UseTable(table, added);
        }

        if (!found)
        {
            throw new InvalidOperationException("This assembly's generated route table does not hold the benchmark's routes.");
        }
    }

    [Benchmark]
    public object? Literal() => _router.Match(RouteMethod.Get, "/api/tickets", _values, out _);

    [Benchmark]
    public object? TwoParameters() => _router.Match(RouteMethod.Get, "/api/shipments/123456/history/v42", _values, out _);

    [Benchmark]
    public object? CatchAll() => _router.Match(RouteMethod.Get, "/static/css/site/main.css", _values, out _);

    [Benchmark]
    public object? Miss() => _router.Match(RouteMethod.Get, "/api/unknown/1", _values, out _);

    [Benchmark]
    public object? GeneratedLiteral() => _generated.Match(RouteMethod.Get, "/api/tickets", _values, out _);

    [Benchmark]
    public object? GeneratedTwoParameters() => _generated.Match(RouteMethod.Get, "/api/shipments/123456/history/v42", _values, out _);

    [Benchmark]
    public object? GeneratedCatchAll() => _generated.Match(RouteMethod.Get, "/static/css/site/main.css", _values, out _);

    [Benchmark]
    public object? GeneratedMiss() => _generated.Match(RouteMethod.Get, "/api/unknown/1", _values, out _);
}
