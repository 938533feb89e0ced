using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sake.Generators.Model;

namespace Sake.Generators.Parsing;

/// <summary>
/// Finds every route registration on <c>Sake.RouteGroup</c> whose method and pattern are compile-time constants
/// (<c>app.Get("/p", ctx => …)</c>, <c>app.Map("GET", "/p", h)</c>, the intercepted <c>Delegate</c> overloads too), for
/// the generated route table. Whether the call is on the app or on a group is a run-time fact: the runtime only uses
/// the table when every registered pattern (prefix included) is in it.
/// </summary>
internal static class RouteCallParser
{
    private static readonly HashSet<string> Verbs = new() { "Get", "Post", "Put", "Delete", "Patch", "Head", "Options" };

    /// <summary>Cheap syntax filter: <c>x.Verb(a, b)</c> or <c>x.Map(a, b, c)</c>.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation
        && ((invocation.ArgumentList.Arguments.Count == 2 && Verbs.Contains(member.Name.Identifier.ValueText))
            || (invocation.ArgumentList.Arguments.Count == 3 && member.Name.Identifier.ValueText == "Map"));

    public static RouteModel? Parse(GeneratorSyntaxContext context, CancellationToken ct)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var model = context.SemanticModel;
        if (model.GetSymbolInfo(invocation, ct).Symbol is not IMethodSymbol target
            || target.ContainingType?.ToDisplayString() != "Sake.RouteGroup")
        {
            return null;
        }

        var args = invocation.ArgumentList.Arguments;
        foreach (var arg in args)
        {
            // Named arguments may reorder them; the table only takes the plain positional form.
            if (arg.NameColon is not null)
            {
                return null;
            }
        }

        string method;
        int patternIndex;
        if (target.Name == "Map")
        {
            if (args.Count != 3 || model.GetConstantValue(args[0].Expression, ct) is not { HasValue: true, Value: string m })
            {
                return null;
            }

            method = m;
            patternIndex = 1;
        }
        else
        {
            method = target.Name.ToUpperInvariant();
            patternIndex = 0;
        }

        if (model.GetConstantValue(args[patternIndex].Expression, ct) is not { HasValue: true, Value: string pattern }
            || !RouteTableModel.IsMethod(method)
            || RouteTemplate.Validate(pattern) is not null)
        {
            return null;
        }

        return new RouteModel(method, pattern);
    }
}
