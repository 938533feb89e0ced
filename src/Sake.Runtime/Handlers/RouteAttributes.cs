namespace Sake;

/// <summary>
/// Declares a route on a static method of a <c>partial</c> handler class. Sake's source generator turns every such
/// method into a registration in the generated <c>Map{Class}()</c> extension, with its parameters bound and its
/// result written at compile time. <c>[Get]</c>, <c>[Post]</c>, <c>[Put]</c>, <c>[Delete]</c> and <c>[Patch]</c>
/// are shorthands.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RouteAttribute : Attribute
{
    /// <summary>Declares a route for <paramref name="method"/> (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pattern">The route pattern, e.g. <c>/users/{id:int}</c>.</param>
    public RouteAttribute(string method, string pattern)
    {
        Method = method;
        Pattern = pattern;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The route pattern.</summary>
    public string Pattern { get; }
}

/// <summary>Declares a GET route; see <see cref="RouteAttribute"/>.</summary>
/// <param name="pattern">The route pattern, e.g. <c>/users/{id:int}</c>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class GetAttribute(string pattern) : Attribute
{
    /// <summary>The route pattern.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>Declares a POST route; see <see cref="RouteAttribute"/>.</summary>
/// <param name="pattern">The route pattern.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PostAttribute(string pattern) : Attribute
{
    /// <summary>The route pattern.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>Declares a PUT route; see <see cref="RouteAttribute"/>.</summary>
/// <param name="pattern">The route pattern.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PutAttribute(string pattern) : Attribute
{
    /// <summary>The route pattern.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>Declares a DELETE route; see <see cref="RouteAttribute"/>.</summary>
/// <param name="pattern">The route pattern.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DeleteAttribute(string pattern) : Attribute
{
    /// <summary>The route pattern.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>Declares a PATCH route; see <see cref="RouteAttribute"/>.</summary>
/// <param name="pattern">The route pattern.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PatchAttribute(string pattern) : Attribute
{
    /// <summary>The route pattern.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>
/// Runs the route's handler on the worker pool, like <see cref="RouteBuilder.Worker"/>: middleware stays on the
/// loop, the request crosses as JSON, the handler code is the same.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WorkerAttribute : Attribute;

/// <summary>
/// Binds a handler parameter from a route value (the default for parameters named like one). Use it to bind a value
/// under another name, or to make a misspelt name a build error (SAKE0004) instead of a query parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FromRouteAttribute : Attribute
{
    /// <summary>The route parameter's name, when it differs from the C# parameter's.</summary>
    public string? Name { get; init; }
}

/// <summary>Binds a handler parameter from the query string (the default for simple parameters not in the route).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FromQueryAttribute : Attribute
{
    /// <summary>The query parameter's name, when it differs from the C# parameter's.</summary>
    public string? Name { get; init; }
}

/// <summary>Binds a handler parameter from a request header.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FromHeaderAttribute : Attribute
{
    /// <summary>The header's name, when it differs from the C# parameter's.</summary>
    public string? Name { get; init; }
}

/// <summary>Binds a handler parameter from the JSON request body (the default for complex types).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FromBodyAttribute : Attribute;

/// <summary>
/// Adds middleware to the routes of a handler class (on the class) or of one handler (on the method): a static
/// method <c>ValueTask Name(Context ctx)</c> that calls <c>ctx.Next()</c> to continue. Class middleware runs before
/// method middleware, each in attribute order, after global and group middleware.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class UseAttribute : Attribute
{
    /// <summary>Middleware declared in the handler class itself: <c>[Use(nameof(RequireApiKey))]</c>.</summary>
    /// <param name="method">The static method's name.</param>
    public UseAttribute(string method)
    {
        Method = method;
    }

    /// <summary>Middleware declared in another type: <c>[Use(typeof(Auth), nameof(Auth.RequireApiKey))]</c>.</summary>
    /// <param name="type">The type that declares the method.</param>
    /// <param name="method">The static method's name.</param>
    public UseAttribute(Type type, string method)
    {
        Type = type;
        Method = method;
    }

    /// <summary>The declaring type, or null for the handler class.</summary>
    public Type? Type { get; }

    /// <summary>The static method's name.</summary>
    public string Method { get; }
}
