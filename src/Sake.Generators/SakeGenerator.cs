using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sake.Generators.Diagnostics;
using Sake.Generators.Emit;
using Sake.Generators.Model;
using Sake.Generators.Parsing;

namespace Sake.Generators;

/// <summary>
/// Sake's incremental generator. Route attributes on partial handler classes become a generated registration
/// (<c>app.Map{Class}()</c>) with parameter binding and result writing; payload types use the user's
/// <c>JsonSerializerContext</c>. Parse (symbols → equatable models) and emit (models → text) are separate steps, and
/// diagnostics travel in their own output so they never invalidate the cached models.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SakeGenerator : IIncrementalGenerator
{
    /// <summary>Written into <c>[GeneratedCode]</c>; snapshot tests scrub it.</summary>
    public const string Version = "0.1.0";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<HandlerParseResult>>? all = null;
        for (int i = 0; i < HandlerParser.AttributeNames.Length; i++)
        {
            int pipeline = i;
            var results = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    HandlerParser.AttributeNames[i],
                    static (node, _) => node is MethodDeclarationSyntax,
                    (ctx, ct) => ParseHandler(ctx, pipeline, ct))
                .Where(static r => r is not null)
                .Select(static (r, _) => r!)
                .WithTrackingName(TrackingNames.Handlers)
                .Collect();
            all = all is null ? results : all.Value.Combine(results).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
        }

        var handlers = all!.Value
            .Select(static (results, _) => new EquatableArray<HandlerParseResult>(results))
            .WithTrackingName(TrackingNames.AllHandlers);

        var contexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                JsonContextParser.AttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => JsonContextParser.Parse(ctx))
            .Where(static c => c is not null)
            .Select(static (c, _) => c!)
            .WithTrackingName(TrackingNames.JsonContexts)
            .Collect()
            .Select(static (c, _) => new EquatableArray<JsonContextModel>(c))
            .WithTrackingName(TrackingNames.AllJsonContexts);

        var classes = handlers
            .Select(static (results, _) => GroupByClass(results))
            .WithTrackingName(TrackingNames.Classes)
            .SelectMany(static (classes, _) => classes)
            .WithTrackingName(TrackingNames.Class);

        // Fluent calls: app.Get("/p", (int n) => …) resolved to RouteGroup's Delegate overloads.
        var fluentCalls = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => FluentCallParser.IsCandidate(node), static (ctx, ct) => ParseFluentCall(ctx, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(TrackingNames.FluentCalls)
            .Collect()
            .Select(static (r, _) => new EquatableArray<InterceptorParseResult>(r))
            .WithTrackingName(TrackingNames.AllFluentCalls);

        // Generated code uses file-local types (C# 11); below that nothing is emitted and SAKE0013 says why.
        var languageVersion = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions c ? c.LanguageVersion : LanguageVersion.Latest)
            .WithTrackingName(TrackingNames.LanguageVersion);
        var languageOk = languageVersion.Select(static (v, _) => v >= MinimumLanguageVersion);

        // Fault injection for Sake's own tests of SAKE0014 (build property SakeGeneratorFailureTest=Emit).
        var failureTest = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.SakeGeneratorFailureTest", out var v) ? v : "")
            .WithTrackingName(TrackingNames.FailureTest);

        // Payload types no user context lists: Sake emits their metadata itself.
        var sakeJson = handlers.Combine(fluentCalls).Combine(contexts)
            .Select(static (input, _) => SakeJson(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.SakeJson);
        var sakeRoots = sakeJson.Select(static (set, _) => set.Roots).WithTrackingName(TrackingNames.SakeJsonRoots);
        var sakeTypes = sakeJson.Select(static (set, _) => set.Types).WithTrackingName(TrackingNames.SakeJsonTypes);
        context.RegisterSourceOutput(sakeTypes.Combine(languageOk), static (spc, input) =>
        {
            var (types, ok) = input;
            if (ok && types.Count > 0)
            {
                Guard(spc, "the JSON metadata of the payload types", () => spc.AddSource(JsonMetadataEmitter.HintName, JsonMetadataEmitter.Emit(types)));
            }
        });

        context.RegisterSourceOutput(
            classes.Combine(contexts).Combine(sakeRoots).Combine(languageOk).Combine(failureTest).WithTrackingName(TrackingNames.Emit),
            static (spc, input) =>
            {
                var ((((model, jsonContexts), roots), ok), failure) = input;
                Guard(spc, $"the routes of '{model.Name}'", () =>
                {
                    if (failure == "Emit")
                    {
                        throw new InvalidOperationException("injected failure (SakeGeneratorFailureTest=Emit)");
                    }

                    if (ok)
                    {
                        spc.AddSource(model.HintName + ".Routes.g.cs", HandlerEmitter.Emit(model, jsonContexts, roots));
                    }
                });
            });

        // Every constant route (attributes and route calls) becomes the compile-time route table.
        var routeCalls = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => RouteCallParser.IsCandidate(node), static (ctx, ct) => RouteCallParser.Parse(ctx, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(TrackingNames.RouteCalls)
            .Collect()
            .Select(static (r, _) => new EquatableArray<RouteModel>(r))
            .WithTrackingName(TrackingNames.AllRouteCalls);
        // The table names its assembly for the startup log (reading it back at run time would need reflection).
        var assemblyName = context.CompilationProvider
            .Select(static (c, _) => c.AssemblyName ?? "")
            .WithTrackingName(TrackingNames.AssemblyName);
        var routeTable = handlers.Combine(routeCalls).Combine(assemblyName)
            .Select(static (input, _) => RouteTable(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.RouteTable);
        context.RegisterSourceOutput(routeTable.Combine(languageOk), static (spc, input) =>
        {
            var (table, ok) = input;
            if (ok && table.Routes.Count > 0)
            {
                Guard(spc, "the route table", () => spc.AddSource(RouteTableEmitter.HintName, RouteTableEmitter.Emit(table)));
            }
        });

        // The compiler only honours interceptors in namespaces the project lists (InterceptorsNamespaces).
        var interceptorsEnabled = context.ParseOptionsProvider
            .Select(static (options, _) => InterceptorsEnabled(options))
            .WithTrackingName(TrackingNames.InterceptorsEnabled);

        var interceptors = fluentCalls
            .Select(static (calls, _) => Interceptable(calls))
            .WithTrackingName(TrackingNames.Interceptors);
        context.RegisterSourceOutput(
            interceptors.Combine(contexts).Combine(sakeRoots).Combine(interceptorsEnabled).Combine(languageOk).WithTrackingName(TrackingNames.EmitInterceptors),
            static (spc, input) =>
            {
                var ((((calls, jsonContexts), roots), enabled), ok) = input;
                if (enabled && ok && calls.Count > 0)
                {
                    Guard(spc, "the interceptors of fluent route calls", () => spc.AddSource(InterceptorEmitter.HintName, InterceptorEmitter.Emit(calls, jsonContexts, roots)));
                }
            });

        // SAKE0013 once, where the first thing that needs generated code is declared.
        var languageDiagnostic = handlers.Combine(fluentCalls).Combine(languageVersion)
            .Select(static (input, _) => LanguageDiagnostic(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.LanguageDiagnostic);
        context.RegisterSourceOutput(languageDiagnostic, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });

        var diagnostics = handlers.Combine(contexts)
            .Select(static (input, _) => CollectDiagnostics(input.Left, input.Right))
            .WithTrackingName(TrackingNames.Diagnostics);
        var fluentDiagnostics = fluentCalls.Combine(contexts).Combine(interceptorsEnabled)
            .Select(static (input, _) => CollectFluentDiagnostics(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.FluentDiagnostics);
        context.RegisterSourceOutput(fluentDiagnostics, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });
    }

    /// <summary>File-local types in the generated code need C# 11.</summary>
    internal const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp11;

    private static HandlerParseResult? ParseHandler(GeneratorAttributeSyntaxContext context, int pipeline, CancellationToken ct)
    {
        try
        {
            return HandlerParser.Parse(context, pipeline, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var location = context.TargetNode.GetLocation();
            return new HandlerParseResult(
                null,
                null,
                new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, location, $"'{context.TargetSymbol.Name}'", Describe(e)) }),
                EquatableArray<JsonUsage>.Empty,
                LocationInfo.From(location));
        }
    }

    private static InterceptorParseResult? ParseFluentCall(GeneratorSyntaxContext context, CancellationToken ct)
    {
        try
        {
            return FluentCallParser.Parse(context, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var location = context.Node.GetLocation();
            return new InterceptorParseResult(
                null,
                new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, location, "this route call", Describe(e)) }),
                EquatableArray<JsonUsage>.Empty,
                LocationInfo.From(location));
        }
    }

    /// <summary>Runs one emit step; a bug in it becomes SAKE0014 instead of the compiler's generic CS8785 or silence.</summary>
    private static void Guard(SourceProductionContext spc, string what, Action emit)
    {
        try
        {
            emit();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, what, Describe(e)));
        }
    }

    private static string Describe(Exception e) => e.GetType().Name + ": " + e.Message;

    private static EquatableArray<DiagnosticInfo> LanguageDiagnostic(EquatableArray<HandlerParseResult> handlers, EquatableArray<InterceptorParseResult> calls, LanguageVersion version)
    {
        if (version >= MinimumLanguageVersion)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        LocationInfo? where = null;
        foreach (var h in handlers)
        {
            if (h.Class is not null && h.Handler is not null)
            {
                where = h.Location;
                break;
            }
        }

        if (where is null)
        {
            foreach (var c in calls)
            {
                if (c.Interceptor is not null)
                {
                    where = c.Location;
                    break;
                }
            }
        }

        if (where is null)
        {
            // Plain route calls only: the route table is an optimization, and the runtime tree answers without it.
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        return new EquatableArray<DiagnosticInfo>(new[]
        {
            new DiagnosticInfo(DiagnosticDescriptors.LanguageVersionTooLow.Id, where, new EquatableArray<string>(new[] { version.ToDisplayString() })),
        });
    }

    private static bool InterceptorsEnabled(Microsoft.CodeAnalysis.ParseOptions options)
    {
        foreach (var key in new[] { "InterceptorsNamespaces", "InterceptorsPreviewNamespaces" })
        {
            if (options.Features.TryGetValue(key, out var value))
            {
                foreach (var ns in value.Split(';'))
                {
                    if (ns.Trim() == "Sake.Generated")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static RouteTableModel RouteTable(EquatableArray<HandlerParseResult> handlers, EquatableArray<RouteModel> calls, string assemblyName)
    {
        var set = new SortedSet<RouteModel>(RouteOrder.Instance);
        foreach (var h in handlers)
        {
            if (h.Handler is not null)
            {
                foreach (var route in h.Handler.Routes)
                {
                    if (RouteTableModel.IsMethod(route.Method))
                    {
                        set.Add(route);
                    }
                }
            }
        }

        foreach (var call in calls)
        {
            set.Add(call);
        }

        return new RouteTableModel(assemblyName, new EquatableArray<RouteModel>(set.ToArray()));
    }

    private static EquatableArray<InterceptorModel> Interceptable(EquatableArray<InterceptorParseResult> calls)
    {
        var list = new List<InterceptorModel>();
        foreach (var c in calls)
        {
            if (c.Interceptor is not null)
            {
                list.Add(c.Interceptor);
            }
        }

        return new EquatableArray<InterceptorModel>(list.ToArray());
    }

    private static EquatableArray<DiagnosticInfo> CollectFluentDiagnostics(EquatableArray<InterceptorParseResult> calls, EquatableArray<JsonContextModel> contexts, bool enabled)
    {
        var covered = CoveredTypes(contexts);
        var list = new List<DiagnosticInfo>();
        bool any = false;
        foreach (var c in calls)
        {
            list.AddRange(c.Diagnostics);
            AddMissingJson(list, c.JsonUsages, covered);
            any |= c.Interceptor is not null;
        }

        if (any && !enabled)
        {
            // Once, at the first call: every interceptor is missing for the same reason.
            LocationInfo? first = null;
            foreach (var c in calls)
            {
                if (c.Interceptor is not null)
                {
                    first = c.Location;
                    break;
                }
            }

            list.Add(new DiagnosticInfo(DiagnosticDescriptors.InterceptorsNotEnabled.Id, first, EquatableArray<string>.Empty));
        }

        return new EquatableArray<DiagnosticInfo>(list.ToArray());
    }

    private static SakeJsonSet SakeJson(EquatableArray<HandlerParseResult> handlers, EquatableArray<InterceptorParseResult> calls, EquatableArray<JsonContextModel> contexts)
    {
        var covered = CoveredTypes(contexts);
        var roots = new SortedSet<string>(StringComparer.Ordinal);
        var types = new SortedDictionary<string, JsonTypeModel>(StringComparer.Ordinal);
        void Add(EquatableArray<JsonUsage> usages)
        {
            foreach (var usage in usages)
            {
                if (covered.Contains(usage.Type) || usage.Graph.Error is not null)
                {
                    continue;
                }

                roots.Add(usage.Type);
                foreach (var t in usage.Graph.Types)
                {
                    types[t.Type] = t;
                }
            }
        }

        foreach (var h in handlers)
        {
            Add(h.JsonUsages);
        }

        foreach (var c in calls)
        {
            Add(c.JsonUsages);
        }

        return new SakeJsonSet(new EquatableArray<string>(roots.ToArray()), new EquatableArray<JsonTypeModel>(types.Values.ToArray()));
    }

    private static HashSet<string> CoveredTypes(EquatableArray<JsonContextModel> contexts)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in contexts)
        {
            foreach (var t in c.Types)
            {
                covered.Add(t);
            }
        }

        return covered;
    }

    private static void AddMissingJson(List<DiagnosticInfo> list, EquatableArray<JsonUsage> usages, HashSet<string> covered)
    {
        foreach (var usage in usages)
        {
            // A user context that lists the type answers for it; otherwise Sake's metadata must be possible.
            if (!covered.Contains(usage.Type) && usage.Graph.Error is { } error)
            {
                list.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.NoJsonMetadata.Id,
                    usage.Location,
                    new EquatableArray<string>(new[] { usage.Member, usage.Type.Replace("global::", ""), error })));
            }
        }
    }

    private static EquatableArray<HandlerClassModel> GroupByClass(EquatableArray<HandlerParseResult> results)
    {
        var order = new List<string>();
        var byClass = new Dictionary<string, (HandlerClassModel Class, List<HandlerModel> Handlers)>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            if (r.Class is null || r.Handler is null)
            {
                continue;
            }

            if (!byClass.TryGetValue(r.Class.FullyQualifiedName, out var entry))
            {
                entry = (r.Class, new List<HandlerModel>());
                byClass.Add(r.Class.FullyQualifiedName, entry);
                order.Add(r.Class.FullyQualifiedName);
            }

            entry.Handlers.Add(r.Handler);
        }

        var models = new HandlerClassModel[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            var (model, list) = byClass[order[i]];
            models[i] = model with { Handlers = new EquatableArray<HandlerModel>(list.ToArray()) };
        }

        return new EquatableArray<HandlerClassModel>(models);
    }

    private static EquatableArray<DiagnosticInfo> CollectDiagnostics(EquatableArray<HandlerParseResult> results, EquatableArray<JsonContextModel> contexts)
    {
        var covered = CoveredTypes(contexts);
        var list = new List<DiagnosticInfo>();
        // A class's diagnostics (not partial, not accessible) come with each of its handlers: report them once.
        var reported = new HashSet<DiagnosticInfo>();
        var seenRoutes = new Dictionary<string, (string Pattern, string Owner, LocationInfo? Location)>(StringComparer.Ordinal);
        var reportedFirst = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            foreach (var d in r.Diagnostics)
            {
                if (reported.Add(d))
                {
                    list.Add(d);
                }
            }

            AddMissingJson(list, r.JsonUsages, covered);

            if (r.Class is null || r.Handler is null)
            {
                continue;
            }

            string owner = r.Class.FullyQualifiedName.Replace("global::", "") + "." + r.Handler.Name;
            foreach (var route in r.Handler.Routes)
            {
                // Within one class only: two classes may declare the same pattern to be mapped under different groups
                // (app.Group("/users").MapUsers()); the runtime reports a real clash at startup.
                string key = r.Class.FullyQualifiedName + " " + RouteTemplate.ConflictKey(route.Method, route.Pattern);
                if (seenRoutes.TryGetValue(key, out var first))
                {
                    // The runtime's startup message (Router), plus the two declarations only the compiler knows.
                    list.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.RouteConflict.Id,
                        r.Location,
                        new EquatableArray<string>(new[] { route.Method, route.Pattern, first.Pattern, first.Owner, owner })));

                    // At every declaration: the first one hears about the clash too (once, however many follow).
                    if (reportedFirst.Add(key))
                    {
                        list.Add(new DiagnosticInfo(
                            DiagnosticDescriptors.RouteConflict.Id,
                            first.Location,
                            new EquatableArray<string>(new[] { route.Method, first.Pattern, route.Pattern, owner, first.Owner })));
                    }
                }
                else
                {
                    seenRoutes.Add(key, (route.Pattern, owner, r.Location));
                }
            }
        }

        return new EquatableArray<DiagnosticInfo>(list.ToArray());
    }
}

/// <summary>Names of the pipeline steps, for the incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Handlers = nameof(Handlers);
    public const string AllHandlers = nameof(AllHandlers);
    public const string JsonContexts = nameof(JsonContexts);
    public const string AllJsonContexts = nameof(AllJsonContexts);
    public const string Classes = nameof(Classes);
    public const string Class = nameof(Class);
    public const string Emit = nameof(Emit);
    public const string Diagnostics = nameof(Diagnostics);
    public const string FluentCalls = nameof(FluentCalls);
    public const string AllFluentCalls = nameof(AllFluentCalls);
    public const string InterceptorsEnabled = nameof(InterceptorsEnabled);
    public const string Interceptors = nameof(Interceptors);
    public const string EmitInterceptors = nameof(EmitInterceptors);
    public const string FluentDiagnostics = nameof(FluentDiagnostics);
    public const string SakeJson = nameof(SakeJson);
    public const string SakeJsonRoots = nameof(SakeJsonRoots);
    public const string SakeJsonTypes = nameof(SakeJsonTypes);
    public const string RouteCalls = nameof(RouteCalls);
    public const string AllRouteCalls = nameof(AllRouteCalls);
    public const string RouteTable = nameof(RouteTable);
    public const string AssemblyName = nameof(AssemblyName);
    public const string LanguageVersion = nameof(LanguageVersion);
    public const string LanguageDiagnostic = nameof(LanguageDiagnostic);
    public const string FailureTest = nameof(FailureTest);
}

/// <summary>Route ids follow the runtime's method order, then the ordinal pattern text: stable across builds.</summary>
internal sealed class RouteOrder : IComparer<RouteModel>
{
    public static readonly RouteOrder Instance = new();

    public int Compare(RouteModel? x, RouteModel? y)
    {
        int m = RouteTableModel.MethodIndex(x!.Method).CompareTo(RouteTableModel.MethodIndex(y!.Method));
        return m != 0 ? m : string.CompareOrdinal(x.Pattern, y.Pattern);
    }
}
