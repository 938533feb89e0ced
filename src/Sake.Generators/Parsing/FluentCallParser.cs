using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sake.Generators.Diagnostics;
using Sake.Generators.Model;

namespace Sake.Generators.Parsing;

/// <summary>
/// Finds <c>group.Get(pattern, handler)</c> calls that resolve to the <c>Delegate</c> overloads of
/// <c>Sake.RouteGroup</c> (the ones that throw unless intercepted) and turns each into an <see cref="InterceptorModel"/>.
/// </summary>
internal static class FluentCallParser
{
    private static readonly HashSet<string> Verbs = new() { "Get", "Post", "Put", "Delete", "Patch" };

    /// <summary>Cheap syntax filter: a two-argument call of a member named like a verb.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2, Expression: MemberAccessExpressionSyntax member }
        && Verbs.Contains(member.Name.Identifier.ValueText);

    public static InterceptorParseResult? Parse(GeneratorSyntaxContext context, CancellationToken ct)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var model = context.SemanticModel;
        if (model.GetSymbolInfo(invocation, ct).Symbol is not IMethodSymbol target
            || target.ContainingType?.ToDisplayString() != "Sake.RouteGroup"
            || target.Parameters.Length != 2
            || target.Parameters[1].Type.ToDisplayString() != "System.Delegate")
        {
            return null;
        }

        var callLocation = invocation.GetLocation();
        var diagnostics = new List<DiagnosticInfo>();
        var jsonUsages = new List<JsonUsage>();
        string verb = target.Name.ToUpperInvariant();
        string call = $"{target.Name}(…)";

        InterceptorParseResult Fail(string why)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotInterceptable, callLocation, call, why));
            return new InterceptorParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()), EquatableArray<JsonUsage>.Empty, LocationInfo.From(callLocation));
        }

        var patternValue = model.GetConstantValue(invocation.ArgumentList.Arguments[0].Expression, ct);
        if (!patternValue.HasValue || patternValue.Value is not string pattern)
        {
            return Fail("the pattern is not a compile-time constant string, so its route parameters are unknown");
        }

        call = $"{target.Name}(\"{pattern}\", …)";
        if (RouteTemplate.Validate(pattern) is { } problem)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRoute, invocation.ArgumentList.Arguments[0].GetLocation(), pattern, "the handler", problem));
            return new InterceptorParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()), EquatableArray<JsonUsage>.Empty, LocationInfo.From(callLocation));
        }

        var handlerExpression = invocation.ArgumentList.Arguments[1].Expression;
        IMethodSymbol? handler;
        string? delegateType = null;
        string? directTarget = null;
        if (handlerExpression is LambdaExpressionSyntax or AnonymousMethodExpressionSyntax)
        {
            handler = model.GetSymbolInfo(handlerExpression, ct).Symbol as IMethodSymbol;
            if (model.GetTypeInfo(handlerExpression, ct).Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate } natural
                && !natural.IsAnonymousType && natural.CanBeReferencedByName)
            {
                delegateType = natural.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            }
            else if (handler is not null)
            {
                return Fail("the lambda's delegate type has no name (default parameter values, or ref/out/params parameters); declare the handler as a method of a partial class with [Get]/[Post]…");
            }
        }
        else
        {
            var symbol = model.GetSymbolInfo(handlerExpression, ct);
            handler = symbol.Symbol as IMethodSymbol ?? (symbol.CandidateSymbols.Length == 1 ? symbol.CandidateSymbols[0] as IMethodSymbol : null);
            if (handler is null)
            {
                return Fail("the handler is a value of type Delegate, not a lambda or a method group, so its parameters are unknown at compile time");
            }

            if (!handler.IsStatic || handler.IsGenericMethod || !Reachable(handler))
            {
                return Fail("a method group handler must be a static, non-generic method that is public or internal; use a lambda for anything else");
            }

            directTarget = handler.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Emit.BindingEmitter.Id(handler.Name);
        }

        if (handler is null)
        {
            // The handler does not bind yet (half-typed code): the compiler reports it.
            return null;
        }

        var interceptable = model.GetInterceptableLocation(invocation, ct);
        if (interceptable is null)
        {
            return null;
        }

        string name = $"the handler of {verb} {pattern}";
        var routes = new List<RouteModel> { new(verb, pattern) };
        var parameters = HandlerParser.ParseParameters(handler, name, routes, diagnostics, jsonUsages, out bool bodyAwaits, worker: ChainsWorker(invocation));
        var result = HandlerParser.ParseResult(handler, name, handlerExpression.GetLocation(), diagnostics, jsonUsages, out string? resultType, out bool resultAwaits);
        InterceptorModel? interceptor = null;
        if (parameters is not null && result is not null && diagnostics.Count == 0)
        {
            var handlerModel = new HandlerModel(
                handler.Name,
                new EquatableArray<RouteModel>(routes.ToArray()),
                new EquatableArray<ParameterModel>(parameters.ToArray()),
                result.Value,
                resultType,
                bodyAwaits || resultAwaits,
                resultAwaits,
                IsWorker: false,
                Middleware: EquatableArray<string>.Empty);
            interceptor = new InterceptorModel(
                verb,
                pattern,
                handlerModel,
                delegateType,
                directTarget,
                interceptable.Version,
                interceptable.Data,
                DisplayLocation(interceptable.GetDisplayLocation()));
        }

        return new InterceptorParseResult(
            interceptor,
            new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()),
            new EquatableArray<JsonUsage>(jsonUsages.ToArray()),
            LocationInfo.From(callLocation));
    }

    /// <summary>True when <c>.Worker()</c> is chained onto the call (possibly after other builder calls such as <c>.Use(…)</c>).</summary>
    private static bool ChainsWorker(InvocationExpressionSyntax invocation)
    {
        SyntaxNode current = invocation;
        while (current.Parent is MemberAccessExpressionSyntax member && member.Expression == current && member.Parent is InvocationExpressionSyntax call)
        {
            if (member.Name.Identifier.ValueText == "Worker")
            {
                return true;
            }

            current = call;
        }

        return false;
    }

    /// <summary>"Program.cs(12,9)": the file name only, so generated code does not embed the machine's paths.</summary>
    private static string DisplayLocation(string display)
    {
        int paren = display.LastIndexOf('(');
        string path = paren < 0 ? display : display.Substring(0, paren);
        return System.IO.Path.GetFileName(path) + (paren < 0 ? "" : display.Substring(paren));
    }

    private static bool Reachable(ISymbol symbol)
    {
        for (ISymbol? s = symbol; s is not null && s is not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
                || s is INamedTypeSymbol { IsFileLocal: true })
            {
                return false;
            }
        }

        return true;
    }
}
