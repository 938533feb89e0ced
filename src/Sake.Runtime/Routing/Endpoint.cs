namespace Sake.Routing;

/// <summary>A registered route after startup: its pattern, parameter names and the full handler chain.</summary>
internal sealed class Endpoint
{
    public Endpoint(RouteMethod method, string pattern, string[] parameterNames, RequestHandler[] chain)
    {
        Method = method;
        Pattern = pattern;
        ParameterNames = parameterNames;
        Chain = chain;
    }

    public RouteMethod Method { get; }

    public string Pattern { get; }

    public string[] ParameterNames { get; }

    /// <summary>Global, group (outer to inner) and route middleware, then the handler.</summary>
    public RequestHandler[] Chain { get; }
}
