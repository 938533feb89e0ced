using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sake.Analyzers.CodeFixes.Loop;

/// <summary>Syntax helpers shared by the loop code fixes.</summary>
internal static class LoopFixSyntax
{
    /// <summary>
    /// The function whose own body holds <paramref name="node"/>: a lambda, an anonymous method, a local function or
    /// a method; null for anything else (accessors, initializers). The loop analyzers report only in handler lambdas
    /// and methods, never in nested functions, so this is the handler.
    /// </summary>
    public static SyntaxNode? ContainingFunction(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                case MethodDeclarationSyntax:
                    return current;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }
}
