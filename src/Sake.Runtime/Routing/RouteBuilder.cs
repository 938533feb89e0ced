using Sake.Routing;

namespace Sake;

/// <summary>Returned by <c>Get</c>, <c>Post</c>… to configure one route further.</summary>
public sealed class RouteBuilder
{
    private readonly List<RequestHandler> _middleware = new();

    internal RouteBuilder(RouteGroup group, RouteMethod method, string pattern, RequestHandler handler)
    {
        Group = group;
        Method = method;
        Pattern = pattern;
        Handler = handler;
    }

    internal RouteGroup Group { get; }

    internal RouteMethod Method { get; }

    /// <summary>The full pattern, group prefixes included.</summary>
    public string Pattern { get; }

    internal RequestHandler Handler { get; }

    internal IReadOnlyList<RequestHandler> Middleware => _middleware;

    /// <summary>True when <see cref="Worker"/> was called.</summary>
    public bool IsWorker { get; private set; }

    /// <summary>
    /// Runs this route's handler on the worker pool (CPU-heavy work). Middleware still runs on the loop; the
    /// request crosses as JSON and the handler code stays the same. With <see cref="Config.EnableWorkerPool"/>
    /// false the route runs on the loop.
    /// </summary>
    public RouteBuilder Worker()
    {
        Group.ThrowIfFrozen();
        IsWorker = true;
        return this;
    }

    /// <summary>Adds middleware that runs for this route only, after global and group middleware.</summary>
    public RouteBuilder Use(params RequestHandler[] middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        Group.ThrowIfFrozen();
        foreach (var m in middleware)
        {
            _middleware.Add(m ?? throw new ArgumentNullException(nameof(middleware)));
        }

        return this;
    }
}
