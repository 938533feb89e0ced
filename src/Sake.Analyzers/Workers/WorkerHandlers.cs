using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;

namespace Sake.Analyzers.Workers;

/// <summary>What the worker-route analyzers (SAKE0017-0020) share: finding the handler of a .Worker() route and naming it.</summary>
internal static class WorkerHandlers
{
    /// <summary>
    /// True when <paramref name="call"/> registers a route that certainly runs on the worker pool (.Worker() chained
    /// onto it); <paramref name="handler"/> is its handler: a lambda, an anonymous method, a method group or other.
    /// </summary>
    public static bool IsWorkerRoute(IInvocationOperation call, SakeTypes types, out IOperation handler, out IOperation pattern)
    {
        return RouteHandlers.IsRouteCall(call, types, out handler, out pattern)
            && RouteHandlers.ModeOf(call, types) == ExecutionMode.Worker;
    }

    /// <summary>
    /// How a message names the handler of a fluent route: the method's name for a method group, else the route
    /// (<c>GET /p</c>), since a lambda has no name of its own.
    /// </summary>
    public static string NameOf(IInvocationOperation call, IOperation handler, IOperation pattern)
    {
        if (handler is IMethodReferenceOperation reference)
        {
            return reference.Method.Name;
        }

        string verb = call.TargetMethod.Name.ToUpperInvariant();
        if (call.TargetMethod.Name == "Map")
        {
            verb = "?";
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0 && argument.Value.ConstantValue is { HasValue: true, Value: string method })
                {
                    verb = method.ToUpperInvariant();
                }
            }
        }

        return pattern.ConstantValue is { HasValue: true, Value: string p } ? verb + " " + p : "lambda";
    }

    /// <summary>
    /// The operations of <paramref name="root"/>, depth first in source order, without descending into nested
    /// lambdas and anonymous methods (they may run later or elsewhere, so the handler's own code is what is checked),
    /// nor into <c>nameof</c> (its operand is only named, never evaluated: <c>nameof(_hits)</c> does not read _hits).
    /// </summary>
    public static IEnumerable<IOperation> OwnOperations(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            var children = new List<IOperation>(current.ChildOperations);
            for (int i = children.Count - 1; i >= 0; i--)
            {
                if (children[i] is not (IAnonymousFunctionOperation or INameOfOperation))
                {
                    stack.Push(children[i]);
                }
            }
        }
    }
}
