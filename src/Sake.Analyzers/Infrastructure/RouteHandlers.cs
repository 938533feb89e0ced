using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Sake.Analyzers.Infrastructure;

/// <summary>Where a handler runs. Analyzers only check what they can be sure of: <see cref="Unknown"/> is left alone.</summary>
internal enum ExecutionMode
{
    /// <summary>On the event loop thread (the default).</summary>
    Loop,

    /// <summary>On the worker pool ([Worker] or a chained .Worker()).</summary>
    Worker,

    /// <summary>The route builder escapes (stored, returned, passed on): .Worker() may be applied out of sight.</summary>
    Unknown,
}

/// <summary>
/// Recognizes Sake handlers in user code: attribute-style handler methods and fluent route calls
/// (<c>app.Get("/p", handler)</c>, <c>app.Map("GET", "/p", handler)</c>), and decides where each runs.
/// </summary>
internal static class RouteHandlers
{
    private static readonly HashSet<string> Verbs = new() { "Get", "Post", "Put", "Delete", "Patch", "Head", "Options", "Map" };

    /// <summary>True when <paramref name="method"/> carries a route attribute; <paramref name="mode"/> says where it runs.</summary>
    public static bool IsAttributeHandler(IMethodSymbol method, SakeTypes types, out ExecutionMode mode)
    {
        bool route = false;
        bool worker = false;
        foreach (var attribute in method.GetAttributes())
        {
            route |= types.IsRouteAttribute(attribute.AttributeClass);
            worker |= SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.WorkerAttribute);
        }

        mode = worker ? ExecutionMode.Worker : ExecutionMode.Loop;
        return route;
    }

    /// <summary>
    /// True when <paramref name="invocation"/> registers a route on a <c>RouteGroup</c> (any overload).
    /// <paramref name="handler"/> is the handler argument (a lambda, a method group, or any other value) and
    /// <paramref name="pattern"/> the pattern argument.
    /// </summary>
    public static bool IsRouteCall(IInvocationOperation invocation, SakeTypes types, out IOperation handler, out IOperation pattern)
    {
        handler = null!;
        pattern = null!;
        var method = invocation.TargetMethod;
        if (!Verbs.Contains(method.Name) || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.RouteGroup))
        {
            return false;
        }

        int patternIndex = method.Name == "Map" ? 1 : 0;
        if (invocation.Arguments.Length != patternIndex + 2)
        {
            return false;
        }

        IOperation? p = null, h = null;
        foreach (var argument in invocation.Arguments)
        {
            // Arguments are matched by parameter, so named arguments in any order are handled.
            if (argument.Parameter?.Ordinal == patternIndex)
            {
                p = argument.Value;
            }
            else if (argument.Parameter?.Ordinal == patternIndex + 1)
            {
                h = argument.Value;
            }
        }

        if (p is null || h is null)
        {
            return false;
        }

        pattern = p;
        handler = Unwrap(h);
        return true;
    }

    /// <summary>
    /// Where a route registered by <paramref name="routeCall"/> runs: <see cref="ExecutionMode.Worker"/> when
    /// <c>.Worker()</c> is chained onto it (possibly after other <c>RouteBuilder</c> calls such as <c>.Use(…)</c>),
    /// <see cref="ExecutionMode.Loop"/> when the builder is discarded, <see cref="ExecutionMode.Unknown"/> when it escapes.
    /// </summary>
    public static ExecutionMode ModeOf(IInvocationOperation routeCall, SakeTypes types)
    {
        IOperation current = routeCall;
        while (true)
        {
            var parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            if (parent is IInvocationOperation call
                && call.Instance == current
                && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.RouteBuilder))
            {
                if (call.TargetMethod.Name == "Worker")
                {
                    return ExecutionMode.Worker;
                }

                current = call;
                continue;
            }

            // An expression statement (or a lambda's expression body used as a statement) discards the builder.
            return parent is IExpressionStatementOperation ? ExecutionMode.Loop : ExecutionMode.Unknown;
        }
    }

    /// <summary>
    /// The route call a <c>RouteBuilder</c> expression comes from, through chained builder calls (<c>.Use(…)</c>), or
    /// null when the builder comes from somewhere the analyzers cannot follow (a variable, a conditional, a method).
    /// </summary>
    public static IInvocationOperation? RouteCallOf(IOperation? builder, SakeTypes types)
    {
        while (builder is not null)
        {
            builder = Unwrap(builder);
            if (builder is not IInvocationOperation call)
            {
                return null;
            }

            if (IsRouteCall(call, types, out _, out _))
            {
                return call;
            }

            if (!SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.RouteBuilder))
            {
                return null;
            }

            builder = call.Instance;
        }

        return null;
    }

    /// <summary>The lambda, anonymous method or method group behind conversions and delegate creations.</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IDelegateCreationOperation creation:
                    operation = creation.Target;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }
}
