using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Sake.Analyzers.CodeFixes.Loop;

/// <summary>
/// SAKE0021: "Run on the worker pool": adds <c>[Worker]</c> to an attribute handler, or chains <c>.Worker()</c> onto
/// the fluent route call whose lambda blocks. Not offered for middleware, which always runs on the loop, nor for a
/// lambda that captures state (a worker route's lambda may not).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RunOnWorkerPoolCodeFixProvider)), Shared]
public sealed class RunOnWorkerPoolCodeFixProvider : CodeFixProvider
{
    /// <summary>The code action's title.</summary>
    public const string Title = "Run on the worker pool";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.BlockingCallOnLoop.Id);

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

        var types = SakeTypes.From(model.Compilation);
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SyntaxNode? target;
            SyntaxNode? replacement;
            switch (LoopFixSyntax.ContainingFunction(node))
            {
                case MethodDeclarationSyntax method:
                    target = method;
                    replacement = AddWorkerAttribute(method, model, types, context.CancellationToken);
                    break;
                case AnonymousFunctionExpressionSyntax lambda:
                    target = RouteCallOf(lambda, model, types, context.CancellationToken);
                    replacement = target is InvocationExpressionSyntax routeCall ? ChainWorker(routeCall) : null;
                    break;
                default:
                    continue;
            }

            if (target is null || replacement is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(target, replacement))),
                    equivalenceKey: nameof(RunOnWorkerPoolCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>[Get("/a")] → [Get("/a"), Worker]: the attribute joins the list that holds the route attribute.</summary>
    private static MethodDeclarationSyntax? AddWorkerAttribute(MethodDeclarationSyntax method, SemanticModel model, SakeTypes types, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
            || !RouteHandlers.IsAttributeHandler(symbol, types, out var mode)
            || mode != ExecutionMode.Loop)
        {
            return null;
        }

        var list = method.AttributeLists.FirstOrDefault(l => l.Attributes.Any(
            a => types.IsRouteAttribute(model.GetTypeInfo(a, cancellationToken).Type as INamedTypeSymbol)));
        if (list is null)
        {
            return null;
        }

        // Written qualified and simplified: it becomes plain `Worker` where `using Sake;` is in scope.
        var worker = Attribute(ParseName("Sake.Worker").WithAdditionalAnnotations(Simplifier.Annotation));
        return method.ReplaceNode(list, list.AddAttributes(worker));
    }

    /// <summary>The route call that registers <paramref name="lambda"/> as its handler, or null.</summary>
    private static SyntaxNode? RouteCallOf(AnonymousFunctionExpressionSyntax lambda, SemanticModel model, SakeTypes types, CancellationToken cancellationToken)
    {
        if (model.GetOperation(lambda, cancellationToken) is not IAnonymousFunctionOperation function)
        {
            return null;
        }

        IOperation? current = function.Parent;
        while (current is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation or IArgumentOperation)
        {
            current = current.Parent;
        }

        return current is IInvocationOperation call
            && RouteHandlers.IsRouteCall(call, types, out var handler, out _)
            && handler == function
            && RouteHandlers.ModeOf(call, types) == ExecutionMode.Loop
            && !Captures(function)
                ? call.Syntax
                : null;
    }

    /// <summary>
    /// Whether the lambda captures outer locals, parameters or <c>this</c>. A worker route's lambda must not
    /// (SAKE0017, an error: the delegate runs on whichever worker takes the request), so chaining <c>.Worker()</c>
    /// would trade this warning for that error; moving the captured state is the author's call, not a mechanical
    /// one. Counts what SAKE0017 counts: constants are inlined, and nested lambdas' own locals are inside.
    /// </summary>
    private static bool Captures(IAnonymousFunctionOperation lambda)
    {
        if (lambda.Symbol.IsStatic)
        {
            return false;
        }

        var span = lambda.Syntax.Span;
        foreach (var operation in lambda.Body.Descendants())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local when !local.Local.IsConst && DeclaredOutside(local.Local, span):
                case IParameterReferenceOperation parameter when DeclaredOutside(parameter.Parameter, span):
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return true;
            }
        }

        return false;
    }

    private static bool DeclaredOutside(ISymbol symbol, TextSpan span) =>
        !symbol.Locations.Any(location => location.IsInSource && span.Contains(location.SourceSpan));

    /// <summary>app.Get("/a", …) → app.Get("/a", …).Worker(), keeping the call's trailing trivia after the new call.</summary>
    private static InvocationExpressionSyntax ChainWorker(InvocationExpressionSyntax routeCall) =>
        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, routeCall.WithoutTrailingTrivia(), IdentifierName("Worker")))
            .WithTrailingTrivia(routeCall.GetTrailingTrivia());
}
