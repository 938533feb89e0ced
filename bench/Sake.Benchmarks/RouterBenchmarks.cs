using BenchmarkDotNet.Attributes;
using Sake.Routing;

namespace Sake.Benchmarks;

/// <summary>
/// What matching a request path costs in the runtime's router (the data for whether a generated, compile-time
/// matcher would be worth having): a 50-route API, a literal route, a two-parameter route, a catch-all, a miss.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class RouterBenchmarks
{
    private readonly Router<object> _router = new();
    private readonly Range[] _values = new Range[RoutePattern.MaxParameterCount];

    [GlobalSetup]
    public void Setup()
    {
        string[] resources = ["users", "orders", "products", "invoices", "carts", "reviews", "coupons", "shipments", "returns", "tickets"];
        foreach (var r in resources)
        {
            _router.Add(RouteMethod.Get, $"/api/{r}", new object());
            _router.Add(RouteMethod.Post, $"/api/{r}", new object());
            _router.Add(RouteMethod.Get, $"/api/{r}/{{id:int}}", new object());
            _router.Add(RouteMethod.Put, $"/api/{r}/{{id:int}}", new object());
            _router.Add(RouteMethod.Get, $"/api/{r}/{{id:int}}/history/{{version}}", new object());
        }

        _router.Add(RouteMethod.Get, "/static/{*path}", new object());
    }

    [Benchmark]
    public object? Literal() => _router.Match(RouteMethod.Get, "/api/tickets", _values, out _);

    [Benchmark]
    public object? TwoParameters() => _router.Match(RouteMethod.Get, "/api/shipments/123456/history/v42", _values, out _);

    [Benchmark]
    public object? CatchAll() => _router.Match(RouteMethod.Get, "/static/css/site/main.css", _values, out _);

    [Benchmark]
    public object? Miss() => _router.Match(RouteMethod.Get, "/api/unknown/1", _values, out _);
}
