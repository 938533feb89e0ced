using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;
using Sake.Generators.Parsing;

namespace Sake.Analyzers.Routing;

/// <summary>
/// SAKE0015: a route parameter (<c>{id}</c>, <c>{id:int}</c>, <c>{*path}</c>) that no parameter of the handler binds,
/// for attribute handlers (each route attribute) and for intercepted fluent calls with a lambda or method group. The
/// route still matches, but its value is dropped: usually a typo or a renamed parameter. A handler that takes the
/// <c>Context</c> is left alone, since it can read the value itself with <c>ctx.Param</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RouteParameterNotBoundAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the route parameter's name as the pattern writes it.</summary>
    public const string NameProperty = "Name";

    /// <summary>Diagnostic property: the C# type its constraint parses into (<c>int</c>, <c>System.Guid</c>, <c>string</c>…).</summary>
    public const string TypeProperty = "Type";

    /// <summary>
    /// Diagnostic property: the parameter's position in its pattern (0, 1…), so that Fix All, which adds every missing
    /// parameter of a handler in one edit, adds them in the pattern's order whatever order the diagnostics come in.
    /// </summary>
    public const string PositionProperty = "Position";

    private static readonly HashSet<string> DelegateVerbs = new() { "Get", "Post", "Put", "Delete", "Patch" };

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.RouteParameterNotBound);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = SakeTypes.From(start.Compilation);
            if (!types.Available)
            {
                return;
            }

            var binding = new BindingTypes(start.Compilation, types);
            start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol, types, binding), SymbolKind.Method);
            start.RegisterOperationAction(operation => AnalyzeCall(operation, binding), OperationKind.Invocation);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, SakeTypes types, BindingTypes binding)
    {
        var method = (IMethodSymbol)context.Symbol;

        // A partial method is two symbols, and the symbol action runs for both, each seeing the attributes of both
        // parts: report from the defining part only, or every diagnostic would come twice.
        if (method.PartialDefinitionPart is not null)
        {
            return;
        }

        if (!RouteHandlers.IsAttributeHandler(method, types, out _) || binding.TakesContext(method))
        {
            return;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (!types.IsRouteAttribute(attribute.AttributeClass)
                || attribute.ApplicationSyntaxReference is not { } reference)
            {
                continue;
            }

            // [Route(method, pattern)] or [Get(pattern)]…; a missing or invalid pattern is SAKE0003's (the generator's).
            var args = attribute.ConstructorArguments;
            int index = args.Length == 2 ? 1 : 0;
            if (args.Length == 0 || args[index].Value is not string pattern || RouteTemplate.Validate(pattern) is not null)
            {
                continue;
            }

            Report(pattern, method, method.Name, reference.GetSyntax(context.CancellationToken).GetLocation(), binding, context.ReportDiagnostic);
        }
    }

    private static void AnalyzeCall(OperationAnalysisContext context, BindingTypes binding)
    {
        var call = (IInvocationOperation)context.Operation;
        var target = call.TargetMethod;
        if (!DelegateVerbs.Contains(target.Name)
            || !SymbolEqualityComparer.Default.Equals(target.ContainingType, binding.RouteGroup)
            || target.Parameters.Length != 2
            || target.Parameters[1].Type.SpecialType != SpecialType.System_Delegate)
        {
            return;
        }

        IOperation? patternArgument = null, handlerArgument = null;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                patternArgument = argument.Value;
            }
            else if (argument.Parameter?.Ordinal == 1)
            {
                handlerArgument = argument.Value;
            }
        }

        if (patternArgument?.ConstantValue is not { HasValue: true, Value: string pattern }
            || RouteTemplate.Validate(pattern) is not null
            || handlerArgument is null)
        {
            return;
        }

        IMethodSymbol? handler;
        string name;
        switch (RouteHandlers.Unwrap(handlerArgument))
        {
            case IAnonymousFunctionOperation lambda:
                handler = lambda.Symbol;
                name = LambdaName(lambda.Syntax);
                break;
            case IMethodReferenceOperation group:
                handler = group.Method;
                name = group.Method.Name;
                break;
            default:
                // A Delegate-typed value: its parameters are unknown here (the generator reports SAKE0009).
                return;
        }

        if (binding.TakesContext(handler))
        {
            return;
        }

        Report(pattern, handler, name, patternArgument.Syntax.GetLocation(), binding, context.ReportDiagnostic);
    }

    private static void Report(string pattern, IMethodSymbol handler, string name, Location location, BindingTypes binding, Action<Diagnostic> report)
    {
        int position = -1;
        foreach (var (parameter, constraint) in RoutePatterns.Parameters(pattern))
        {
            position++;
            if (binding.Binds(handler, parameter))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(NameProperty, parameter)
                .Add(TypeProperty, RoutePatterns.TypeFor(constraint))
                .Add(PositionProperty, position.ToString(System.Globalization.CultureInfo.InvariantCulture));
            report(Diagnostic.Create(DiagnosticDescriptors.RouteParameterNotBound, location, properties, parameter, pattern, name));
        }
    }

    /// <summary>A lambda named by its parameter list, as written: <c>(int id) =&gt; …</c>.</summary>
    private static string LambdaName(SyntaxNode syntax) => syntax switch
    {
        ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList + " => …",
        SimpleLambdaExpressionSyntax lambda => lambda.Parameter + " => …",
        AnonymousMethodExpressionSyntax method => "delegate" + (method.ParameterList is null ? "" : method.ParameterList.ToString()) + " { … }",
        _ => "the handler",
    };

    /// <summary>The types binding depends on, resolved once per compilation.</summary>
    private sealed class BindingTypes
    {
        private readonly INamedTypeSymbol? _cancellationToken;
        private readonly INamedTypeSymbol?[] _notFromRoute;
        private readonly INamedTypeSymbol? _context;
        private readonly INamedTypeSymbol? _fromRoute;

        public BindingTypes(Compilation compilation, SakeTypes types)
        {
            RouteGroup = types.RouteGroup;
            _context = types.Context;
            _cancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
            _fromRoute = compilation.GetTypeByMetadataName("Sake.FromRouteAttribute");
            _notFromRoute = new[]
            {
                compilation.GetTypeByMetadataName("Sake.FromQueryAttribute"),
                compilation.GetTypeByMetadataName("Sake.FromHeaderAttribute"),
                compilation.GetTypeByMetadataName("Sake.FromBodyAttribute"),
            };
        }

        public INamedTypeSymbol? RouteGroup { get; }

        /// <summary>The route value a parameter takes: <c>[FromRoute(Name = "x")]</c>'s name, else its own.</summary>
        private string RouteName(IParameterSymbol parameter)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _fromRoute))
                {
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Name" && named.Value.Value is string value)
                        {
                            return value;
                        }
                    }
                }
            }

            return parameter.Name;
        }

        public bool TakesContext(IMethodSymbol handler)
        {
            foreach (var p in handler.Parameters)
            {
                if (SymbolEqualityComparer.Default.Equals(p.Type, _context))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True when a parameter of <paramref name="handler"/> takes the route value <paramref name="name"/>: named
        /// like it (ignoring case), not a CancellationToken, and not sent elsewhere by [FromQuery]/[FromHeader]/[FromBody].
        /// </summary>
        public bool Binds(IMethodSymbol handler, string name)
        {
            foreach (var p in handler.Parameters)
            {
                if (!string.Equals(RouteName(p), name, StringComparison.OrdinalIgnoreCase)
                    || SymbolEqualityComparer.Default.Equals(p.Type.OriginalDefinition, _cancellationToken))
                {
                    continue;
                }

                bool elsewhere = false;
                foreach (var attribute in p.GetAttributes())
                {
                    elsewhere |= Array.IndexOf(_notFromRoute, attribute.AttributeClass) >= 0 && attribute.AttributeClass is not null;
                }

                if (!elsewhere)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
