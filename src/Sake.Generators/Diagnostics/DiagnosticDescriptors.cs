using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Sake.Generators.Diagnostics;

/// <summary>
/// The one registry of Sake's diagnostic IDs (SAKE0001…), shared by the generator and the analyzers. IDs are never
/// reused; every new one is listed in AnalyzerReleases.Unshipped.md (release tracking fails the build otherwise).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Routing = "Sake.Routing";
    private const string Binding = "Sake.Binding";
    private const string Json = "Sake.Json";

    public static readonly DiagnosticDescriptor ClassMustBePartial = new(
        "SAKE0001",
        "Handler class must be partial",
        "'{0}' declares routes, so it and every type containing it must be partial: the generated registration is added to it",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HandlerMustBeStatic = new(
        "SAKE0002",
        "Route handler must be static",
        "Route handler '{0}' must be static: Sake creates no instances of handler classes",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidRoute = new(
        "SAKE0003",
        "Invalid route declaration",
        "Route '{0}' on '{1}' is invalid: {2}",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnbindableParameter = new(
        "SAKE0004",
        "Parameter cannot be bound",
        "Parameter '{0}' of '{1}' cannot be bound: {2}",
        Binding,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "SAKE0005",
        "Unsupported return type",
        "'{0}' returns '{1}', which Sake cannot write: return void, string, byte[], Result, Result<T>, a JSON payload type, or Task/ValueTask of one",
        Binding,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoJsonMetadata = new(
        "SAKE0006",
        "Payload type cannot be serialized",
        "{0} uses '{1}' as JSON, which cannot be serialized: {2}",
        Json,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RouteConflict = new(
        "SAKE0007",
        "Conflicting routes",
        "Route {0} \"{1}\" conflicts with {0} \"{2}\", which is already registered: they match the same paths (declared by '{4}' and by '{3}')",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HandlerClassNotAccessible = new(
        "SAKE0008",
        "Handler class must be public or internal",
        "'{0}' declares routes, but '{1}' is private, protected or file-local: the generated Map extension outside it could not reach it; make it public or internal",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotInterceptable = new(
        "SAKE0009",
        "Route call cannot be intercepted",
        "This {0} call cannot be wired at compile time, so it would throw at startup: {1}",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InterceptorsNotEnabled = new(
        "SAKE0010",
        "Interceptors are not enabled for Sake",
        "app.Get/Post/… calls with bound parameters need interceptors: add Sake.Generated to the InterceptorsNamespaces property (import Sake.Generators.props, which does it)",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidMiddleware = new(
        "SAKE0011",
        "Invalid middleware reference",
        "[Use] names '{0}' in '{1}', which is not a static, non-generic, public or internal method 'ValueTask {0}(Context ctx)'",
        Binding,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = Index(
        ClassMustBePartial, HandlerMustBeStatic, InvalidRoute, UnbindableParameter, UnsupportedReturnType, NoJsonMetadata, RouteConflict, HandlerClassNotAccessible,
        NotInterceptable, InterceptorsNotEnabled, InvalidMiddleware);

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
    {
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var d in descriptors)
        {
            map.Add(d.Id, d);
        }

        return map;
    }
}
