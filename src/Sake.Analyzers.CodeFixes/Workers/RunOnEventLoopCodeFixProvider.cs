using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.CodeFixes.Workers;

/// <summary>
/// "Run on the event loop" for the worker checks (SAKE0017-0020): removes the handler's <c>[Worker]</c> attribute, or
/// the <c>.Worker()</c> chained onto its route call. On the loop one thread runs every handler and the request is
/// not serialized, so captured and static state, live streams and arbitrary Items are all fine there.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RunOnEventLoopCodeFixProvider))]
[Shared]
public sealed class RunOnEventLoopCodeFixProvider : CodeFixProvider
{
    /// <summary>The code action's title, also its equivalence key.</summary>
    public const string Title = "Run on the event loop";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.WorkerLambdaCaptures.Id,
        DiagnosticDescriptors.WorkerConnectionBoundParameter.Id,
        DiagnosticDescriptors.WorkerMutableStaticState.Id,
        DiagnosticDescriptors.WorkerItemsCannotCross.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var (target, replacement) = FindEdit(node, model, context.CancellationToken);
            if (target is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(target, replacement!))),
                    equivalenceKey: Title),
                diagnostic);
        }
    }

    /// <summary>
    /// The innermost handler around <paramref name="node"/> that runs on the worker pool, as the node to replace and
    /// its replacement; (null, null) when the handler is not found (a method group's method, registered elsewhere).
    /// </summary>
    private static (SyntaxNode? Target, SyntaxNode? Replacement) FindEdit(SyntaxNode node, SemanticModel model, CancellationToken cancellation)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } }:
                    if (WorkerCallAfter(call, model, cancellation) is { } worker)
                    {
                        var inner = ((MemberAccessExpressionSyntax)worker.Expression).Expression;
                        return (worker, inner.WithTrailingTrivia(worker.GetTrailingTrivia()));
                    }

                    break;
                case MethodDeclarationSyntax method:
                    return WithoutWorkerAttribute(method, model, cancellation) is { } fixedMethod ? (method, fixedMethod) : (null, null);
            }
        }

        return (null, null);
    }

    /// <summary>The <c>.Worker()</c> call chained onto <paramref name="routeCall"/>, through other builder calls.</summary>
    private static InvocationExpressionSyntax? WorkerCallAfter(InvocationExpressionSyntax routeCall, SemanticModel model, CancellationToken cancellation)
    {
        ExpressionSyntax current = routeCall;
        while (true)
        {
            while (current.Parent is ParenthesizedExpressionSyntax parenthesized)
            {
                current = parenthesized;
            }

            if (current.Parent is not MemberAccessExpressionSyntax access
                || access.Expression != current
                || access.Parent is not InvocationExpressionSyntax call
                || call.Expression != access
                || model.GetSymbolInfo(call, cancellation).Symbol is not IMethodSymbol method
                || method.ContainingType?.ToDisplayString() != "Sake.RouteBuilder")
            {
                return null;
            }

            if (method.Name == "Worker")
            {
                return call;
            }

            current = call;
        }
    }

    private static MethodDeclarationSyntax? WithoutWorkerAttribute(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellation)
    {
        for (int i = 0; i < method.AttributeLists.Count; i++)
        {
            var list = method.AttributeLists[i];
            foreach (var attribute in list.Attributes)
            {
                if (model.GetSymbolInfo(attribute, cancellation).Symbol?.ContainingType?.ToDisplayString() != "Sake.WorkerAttribute")
                {
                    continue;
                }

                if (list.Attributes.Count > 1)
                {
                    return method.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(attribute)));
                }

                // The whole list goes; the first one carries the declaration's leading trivia (doc comment, indentation).
                var without = method.WithAttributeLists(method.AttributeLists.RemoveAt(i));
                return i == 0 ? without.WithLeadingTrivia(list.GetLeadingTrivia()) : without;
            }
        }

        return null;
    }
}
