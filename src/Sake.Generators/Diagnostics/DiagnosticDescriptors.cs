using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Sake.Generators.Diagnostics;

/// <summary>
/// The one registry of Sake's diagnostic IDs (SAKE0001…), shared by the generator and the analyzers (this file is
/// compiled into both; each ID is raised by exactly one of them). IDs are never reused; every new one is listed in
/// AnalyzerReleases.Unshipped.md (release tracking fails the build otherwise) and has a page docs/diagnostics/ID.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>
    /// Where each ID's page lives, relative to the repository root. Sake has no published documentation site yet, so
    /// the link is the page's path in the repository; set the base here once one exists.
    /// </summary>
    public const string HelpLinkBase = "docs/diagnostics/";

    private const string Routing = "Sake.Routing";
    private const string Binding = "Sake.Binding";
    private const string Json = "Sake.Json";
    private const string Workers = "Sake.Workers";
    private const string Loop = "Sake.Loop";
    private const string Generator = "Sake.Generator";

    public static readonly DiagnosticDescriptor ClassMustBePartial = new(
        "SAKE0001",
        "Handler class must be partial",
        "'{0}' declares routes, so it and every type containing it must be partial: the generated registration is added to it",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0001.md");

    public static readonly DiagnosticDescriptor HandlerMustBeStatic = new(
        "SAKE0002",
        "Route handler must be static",
        "Route handler '{0}' must be static: Sake creates no instances of handler classes",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0002.md");

    public static readonly DiagnosticDescriptor InvalidRoute = new(
        "SAKE0003",
        "Invalid route declaration",
        "Route '{0}' on '{1}' is invalid: {2}",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0003.md");

    public static readonly DiagnosticDescriptor UnbindableParameter = new(
        "SAKE0004",
        "Parameter cannot be bound",
        "Parameter '{0}' of '{1}' cannot be bound: {2}",
        Binding,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0004.md");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "SAKE0005",
        "Unsupported return type",
        "'{0}' returns '{1}', which Sake cannot write: return void, string, byte[], Result, Result<T>, a JSON payload type, or Task/ValueTask of one",
        Binding,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0005.md");

    public static readonly DiagnosticDescriptor NoJsonMetadata = new(
        "SAKE0006",
        "Payload type cannot be serialized",
        "{0} uses '{1}' as JSON, which cannot be serialized: {2}",
        Json,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0006.md");

    public static readonly DiagnosticDescriptor RouteConflict = new(
        "SAKE0007",
        "Conflicting routes",
        "Route {0} \"{1}\" conflicts with {0} \"{2}\", which is already registered: they match the same paths (declared by '{4}' and by '{3}')",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0007.md");

    public static readonly DiagnosticDescriptor HandlerClassNotAccessible = new(
        "SAKE0008",
        "Handler class must be public or internal",
        "'{0}' declares routes, but '{1}' is private, protected or file-local: the generated Map extension outside it could not reach it; make it public or internal",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0008.md");

    public static readonly DiagnosticDescriptor NotInterceptable = new(
        "SAKE0009",
        "Route call cannot be intercepted",
        "This {0} call cannot be wired at compile time, so it would throw at startup: {1}",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0009.md");

    public static readonly DiagnosticDescriptor InterceptorsNotEnabled = new(
        "SAKE0010",
        "Interceptors are not enabled for Sake",
        "app.Get/Post/… calls with bound parameters need interceptors: add Sake.Generated to the InterceptorsNamespaces property (import Sake.Generators.props, which does it)",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0010.md");

    public static readonly DiagnosticDescriptor InvalidMiddleware = new(
        "SAKE0011",
        "Invalid middleware reference",
        "[Use] names '{0}' in '{1}', which is not a static, non-generic, public or internal method 'ValueTask {0}(Context ctx)'",
        Binding,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0011.md");

    public static readonly DiagnosticDescriptor HandlerClassGeneric = new(
        "SAKE0012",
        "Handler class cannot be generic",
        "'{0}' declares routes, but '{1}' is generic: the generated registration could not name a closed type; move the handlers to a non-generic class",
        Routing,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0012.md");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = new(
        "SAKE0013",
        "C# language version too low for Sake",
        "Sake's generated code needs C# 12 or later, but this project compiles C# {0}: set <LangVersion> to 12 or later (or remove it to use the SDK's default)",
        Generator,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0013.md");

    public static readonly DiagnosticDescriptor GeneratorFailure = new(
        "SAKE0014",
        "Sake's generator failed",
        "Sake's generator failed while processing {0}: {1}. Nothing was generated for it. This is a bug in Sake: please report it with this message.",
        Generator,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0014.md");

    public static readonly DiagnosticDescriptor RouteParameterNotBound = new(
        "SAKE0015",
        "Route parameter is not bound",
        "Route parameter '{0}' of \"{1}\" is not bound by any parameter of '{2}': add a parameter named '{0}', or remove it from the pattern",
        Routing,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0015.md");

    public static readonly DiagnosticDescriptor RoutePatternNotConstant = new(
        "SAKE0016",
        "Route pattern is not a compile-time constant",
        "This route pattern is not a compile-time constant, so it is only checked when the app starts and the route cannot be in the generated route table",
        Routing,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0016.md");

    public static readonly DiagnosticDescriptor WorkerLambdaCaptures = new(
        "SAKE0017",
        "Worker route handler captures state",
        "The handler of this .Worker() route captures {0}: only the request crosses into the worker pool, so captured state would be shared between threads without synchronization; pass data through the request or use a static method",
        Workers,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0017.md");

    public static readonly DiagnosticDescriptor WorkerConnectionBoundParameter = new(
        "SAKE0018",
        "Worker handler takes a connection-bound parameter",
        "Parameter '{0}' of worker handler '{1}' is a '{2}', which is tied to the connection or the live response and cannot cross into the worker pool: take the body as string, byte[] or a JSON payload, or run the route on the loop",
        Workers,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0018.md");

    public static readonly DiagnosticDescriptor WorkerMutableStaticState = new(
        "SAKE0019",
        "Worker handler uses mutable static state",
        "Worker handler '{0}' {1} mutable static '{2}': worker threads run in parallel, so this is a data race; use immutable data, a thread-safe type, or run the route on the loop",
        Workers,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0019.md");

    public static readonly DiagnosticDescriptor WorkerItemsCannotCross = new(
        "SAKE0020",
        "Middleware item cannot cross into the worker pool",
        "Middleware '{0}' stores a '{1}' in Context.Items and worker handler '{2}' reads Items: only JSON primitive values (string, number, bool, null) cross into the worker pool; store a primitive or run the route on the loop",
        Workers,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0020.md",
        // Middleware and handler are matched when the whole compilation has been seen (they are often in different files).
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor BlockingCallOnLoop = new(
        "SAKE0021",
        "Blocking call on the event loop",
        "'{0}' blocks the event loop thread, which stalls every other request: await the asynchronous form, or run the route on the worker pool with [Worker] / .Worker()",
        Loop,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0021.md");

    public static readonly DiagnosticDescriptor ConfigureAwaitFalseOnLoop = new(
        "SAKE0022",
        "ConfigureAwait(false) in a loop handler",
        "ConfigureAwait(false) in a loop handler resumes the rest of the handler off the event loop thread, which breaks the single-threaded guarantee that lets handlers share state without locks: remove it",
        Loop,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0022.md");

    public static readonly DiagnosticDescriptor WorkerRouteNotVisible = new(
        "SAKE0023",
        "Worker() is applied where Sake cannot see the route",
        "This .Worker() call is not chained directly onto an app.Get/Post/… call, so Sake cannot tell at build time which handler runs on the worker pool and cannot check it: chain .Worker() onto the route call",
        Workers,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "SAKE0023.md");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = Index(
        ClassMustBePartial, HandlerMustBeStatic, InvalidRoute, UnbindableParameter, UnsupportedReturnType, NoJsonMetadata, RouteConflict, HandlerClassNotAccessible,
        NotInterceptable, InterceptorsNotEnabled, InvalidMiddleware, HandlerClassGeneric, LanguageVersionTooLow, GeneratorFailure,
        RouteParameterNotBound, RoutePatternNotConstant, WorkerLambdaCaptures, WorkerConnectionBoundParameter, WorkerMutableStaticState,
        WorkerItemsCannotCross, BlockingCallOnLoop, ConfigureAwaitFalseOnLoop, WorkerRouteNotVisible);

    /// <summary>Every descriptor, in ID order (tests compare this with the docs and the mistakes sample).</summary>
    public static IEnumerable<DiagnosticDescriptor> Registry => All.Values;

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
