using Sake.Routing;

namespace Sake;

/// <summary>
/// Routes under a common prefix with their own middleware. Groups nest; a route's chain is global middleware,
/// then each enclosing group's middleware from the outermost in, then the route's own, then the handler.
/// </summary>
public class RouteGroup
{
    private readonly List<RequestHandler> _middleware = new();
    private readonly List<RouteGroup> _groups = new();
    private readonly List<RouteBuilder> _routes = new();

    internal RouteGroup(RouteGroup? parent, string prefix)
    {
        Parent = parent;
        Prefix = prefix;
    }

    internal RouteGroup? Parent { get; }

    /// <summary>The group's full prefix ("" for the app itself).</summary>
    public string Prefix { get; }

    internal IReadOnlyList<RequestHandler> MiddlewareList => _middleware;

    internal IReadOnlyList<RouteGroup> Groups => _groups;

    internal IReadOnlyList<RouteBuilder> Routes => _routes;

    internal virtual bool IsFrozen => Parent?.IsFrozen ?? false;

    /// <summary>
    /// Adds middleware for every route in this group (for the app: every request, including 404/405 answers).
    /// Order of registration is order of execution; it applies to routes registered before and after the call.
    /// </summary>
    public RouteGroup Use(params RequestHandler[] middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ThrowIfFrozen();
        foreach (var m in middleware)
        {
            _middleware.Add(m ?? throw new ArgumentNullException(nameof(middleware)));
        }

        return this;
    }

    /// <summary>Creates a nested group under <paramref name="prefix"/> (e.g. "/api") with optional middleware.</summary>
    public RouteGroup Group(string prefix, params RequestHandler[] middleware)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfFrozen();
        if (prefix.Length == 0 || prefix[0] != '/' || (prefix.Length > 1 && prefix[^1] == '/'))
        {
            throw new ArgumentException($"Group prefix '{prefix}' must start with '/' and not end with '/'.", nameof(prefix));
        }

        var group = new RouteGroup(this, Prefix + (prefix == "/" ? string.Empty : prefix));
        group.Use(middleware);
        _groups.Add(group);
        return group;
    }

    /// <summary>Registers a GET route.</summary>
    public RouteBuilder Get(string pattern, RequestHandler handler) => Map(RouteMethod.Get, pattern, handler);

    /// <summary>Registers a POST route.</summary>
    public RouteBuilder Post(string pattern, RequestHandler handler) => Map(RouteMethod.Post, pattern, handler);

    /// <summary>Registers a PUT route.</summary>
    public RouteBuilder Put(string pattern, RequestHandler handler) => Map(RouteMethod.Put, pattern, handler);

    /// <summary>Registers a DELETE route.</summary>
    public RouteBuilder Delete(string pattern, RequestHandler handler) => Map(RouteMethod.Delete, pattern, handler);

    /// <summary>Registers a PATCH route.</summary>
    public RouteBuilder Patch(string pattern, RequestHandler handler) => Map(RouteMethod.Patch, pattern, handler);

    /// <summary>Registers a HEAD route (GET routes already answer HEAD).</summary>
    public RouteBuilder Head(string pattern, RequestHandler handler) => Map(RouteMethod.Head, pattern, handler);

    /// <summary>Registers an OPTIONS route.</summary>
    public RouteBuilder Options(string pattern, RequestHandler handler) => Map(RouteMethod.Options, pattern, handler);

    /// <summary>Registers a synchronous GET handler.</summary>
    public RouteBuilder Get(string pattern, Action<Context> handler) => Map(RouteMethod.Get, pattern, Wrap(handler));

    /// <summary>Registers a synchronous POST handler.</summary>
    public RouteBuilder Post(string pattern, Action<Context> handler) => Map(RouteMethod.Post, pattern, Wrap(handler));

    /// <summary>Registers a synchronous PUT handler.</summary>
    public RouteBuilder Put(string pattern, Action<Context> handler) => Map(RouteMethod.Put, pattern, Wrap(handler));

    /// <summary>Registers a synchronous DELETE handler.</summary>
    public RouteBuilder Delete(string pattern, Action<Context> handler) => Map(RouteMethod.Delete, pattern, Wrap(handler));

    /// <summary>Registers a synchronous PATCH handler.</summary>
    public RouteBuilder Patch(string pattern, Action<Context> handler) => Map(RouteMethod.Patch, pattern, Wrap(handler));

    /// <summary>
    /// Registers a GET route whose handler takes bound parameters (e.g. <c>(int n) =&gt; …</c>). Sake's source
    /// generator intercepts this call at compile time; reached at run time it throws, because Sake has no
    /// reflection fallback.
    /// </summary>
    public RouteBuilder Get(string pattern, Delegate handler) => throw NotIntercepted("Get", pattern, handler);

    /// <summary>Registers a POST route with bound parameters; see <see cref="Get(string, Delegate)"/>.</summary>
    public RouteBuilder Post(string pattern, Delegate handler) => throw NotIntercepted("Post", pattern, handler);

    /// <summary>Registers a PUT route with bound parameters; see <see cref="Get(string, Delegate)"/>.</summary>
    public RouteBuilder Put(string pattern, Delegate handler) => throw NotIntercepted("Put", pattern, handler);

    /// <summary>Registers a DELETE route with bound parameters; see <see cref="Get(string, Delegate)"/>.</summary>
    public RouteBuilder Delete(string pattern, Delegate handler) => throw NotIntercepted("Delete", pattern, handler);

    /// <summary>Registers a PATCH route with bound parameters; see <see cref="Get(string, Delegate)"/>.</summary>
    public RouteBuilder Patch(string pattern, Delegate handler) => throw NotIntercepted("Patch", pattern, handler);

    /// <summary>The entry point generated code calls: registers a route with a ready-made handler.</summary>
    public RouteBuilder Map(string method, string pattern, RequestHandler handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!RouteMethods.TryParse(System.Text.Encoding.ASCII.GetBytes(method), out var m))
        {
            throw new ArgumentException($"'{method}' is not a routable method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS).", nameof(method));
        }

        return Map(m, pattern, handler);
    }

    internal void ThrowIfFrozen()
    {
        if (IsFrozen)
        {
            throw new InvalidOperationException("Routes and middleware cannot change after the app has started.");
        }
    }

    private RouteBuilder Map(RouteMethod method, string pattern, RequestHandler handler)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfFrozen();
        string full = Prefix.Length == 0 ? pattern : (pattern == "/" ? Prefix : Prefix + pattern);
        RoutePattern.Parse(full);
        var route = new RouteBuilder(this, method, full, handler);
        _routes.Add(route);
        return route;
    }

    private static RequestHandler Wrap(Action<Context> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return context =>
        {
            handler(context);
            return default;
        };
    }

    private static InvalidOperationException NotIntercepted(string method, string pattern, Delegate? handler) => new(
        $"app.{method}(\"{pattern}\", handler) takes a handler with bound parameters, which only Sake's " +
        "source generator can wire (there is no reflection fallback, so NativeAOT stays warning-free). The call was not " +
        "intercepted: reference the Sake.Generators analyzer and import its props (InterceptorsNamespaces must include " +
        "Sake.Generated), pass the pattern as a compile-time constant, and call the method directly on the app or group, " +
        "or write the handler as RequestHandler (Context ctx) => ….");
}
