using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;

namespace Sake.Analyzers.Loop;

/// <summary>
/// Decides which code runs on the event loop thread: the bodies of attribute handlers without [Worker], lambdas
/// registered by a fluent route call that stays on the loop, middleware lambdas (<c>Use</c>, <c>Group</c>) and
/// static methods named by a [Use] attribute of their own type. Nested lambdas and local functions are not followed:
/// they may run anywhere (<c>Task.Run(() => …)</c>), so the loop checks leave them alone.
/// </summary>
internal static class LoopCode
{
    /// <summary>True when the body of <paramref name="owner"/> (an operation block's symbol) runs on the loop.</summary>
    public static bool IsLoopMember(ISymbol owner, SakeTypes types)
    {
        if (owner is not IMethodSymbol method)
        {
            return false;
        }

        if (RouteHandlers.IsAttributeHandler(method, types, out var mode))
        {
            return mode == ExecutionMode.Loop;
        }

        return IsUseMiddleware(method, types);
    }

    /// <summary>
    /// True when <paramref name="operation"/> runs on the loop: inside a loop lambda, or directly in the body of a
    /// member for which <paramref name="ownerIsLoop"/> holds (and not inside a nested function there).
    /// </summary>
    public static bool IsOnLoop(IOperation operation, bool ownerIsLoop, SakeTypes types)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case INameOfOperation:
                    // nameof(task.Result) evaluates nothing.
                    return false;
                case IAnonymousFunctionOperation lambda:
                    return IsLoopLambda(lambda, types);
                case ILocalFunctionOperation:
                    return false;
            }
        }

        return ownerIsLoop;
    }

    /// <summary>
    /// True for a lambda or anonymous method registered as the handler of a route call that stays on the loop, or as
    /// middleware (middleware runs on the loop, also for worker routes).
    /// </summary>
    public static bool IsLoopLambda(IAnonymousFunctionOperation lambda, SakeTypes types)
    {
        IOperation current = lambda;
        var parent = current.Parent;
        while (parent is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation
               or IArrayInitializerOperation or IArrayCreationOperation or IArgumentOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        if (parent is not IInvocationOperation call || current is not IArgumentOperation argument)
        {
            return false;
        }

        if (RouteHandlers.IsRouteCall(call, types, out var handler, out _))
        {
            return handler == lambda && RouteHandlers.ModeOf(call, types) == ExecutionMode.Loop;
        }

        return IsMiddlewareArgument(call, argument, types);
    }

    /// <summary>The middleware parameter of <c>RouteGroup.Use</c>, <c>RouteGroup.Group</c> or <c>RouteBuilder.Use</c>.</summary>
    private static bool IsMiddlewareArgument(IInvocationOperation call, IArgumentOperation argument, SakeTypes types)
    {
        var method = call.TargetMethod;
        bool middlewareMethod =
            (method.Name is "Use" or "Group" && SymbolEqualityComparer.Default.Equals(method.ContainingType, types.RouteGroup))
            || (method.Name == "Use" && SymbolEqualityComparer.Default.Equals(method.ContainingType, types.RouteBuilder));
        return middlewareMethod && argument.Parameter is { IsParams: true };
    }

    /// <summary>
    /// A static method named by a [Use] attribute on its own type or on one of that type's methods. [Use] naming a
    /// method of another type (<c>[Use(typeof(Auth), …)]</c>) is only seen when it sits in the same type: finding
    /// the rest would mean searching the whole compilation.
    /// </summary>
    private static bool IsUseMiddleware(IMethodSymbol method, SakeTypes types)
    {
        if (!method.IsStatic || method.Parameters.Length != 1 || types.UseAttribute is null
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, types.Context))
        {
            return false;
        }

        var type = method.ContainingType;
        if (Names(type.GetAttributes(), method, types))
        {
            return true;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol m && Names(m.GetAttributes(), method, types))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Names(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, IMethodSymbol method, SakeTypes types)
    {
        foreach (var attribute in attributes)
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.UseAttribute))
            {
                continue;
            }

            var args = attribute.ConstructorArguments;
            if (args.Length == 1 && args[0].Value is string name && name == method.Name)
            {
                return true;
            }

            if (args.Length == 2 && args[1].Value is string name2 && name2 == method.Name
                && SymbolEqualityComparer.Default.Equals(args[0].Value as ITypeSymbol, method.ContainingType))
            {
                return true;
            }
        }

        return false;
    }
}
