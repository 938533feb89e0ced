using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Sake.Generators.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Sake.Analyzers.CodeFixes.Loop;

/// <summary>
/// SAKE0021: "Use await" for <c>task.Result</c>, <c>task.Wait()</c> and <c>task.GetAwaiter().GetResult()</c>: the
/// wait becomes an <c>await</c>, and the handler becomes async when it is not (void → Task, T → Task&lt;T&gt;, a
/// returned Task/ValueTask is awaited). Not offered where that rewrite is not mechanical (iterators, ref returns,
/// local functions, Wait with a timeout).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAwaitCodeFixProvider)), Shared]
public sealed class UseAwaitCodeFixProvider : CodeFixProvider
{
    /// <summary>The code action's title.</summary>
    public const string Title = "Use await";

    private enum ReturnKind
    {
        /// <summary>Returns nothing: the async form returns Task (a method) or a task-like the delegate wants (a lambda).</summary>
        Void,

        /// <summary>Returns T, not a task: the async form returns Task&lt;T&gt;; return statements stay.</summary>
        Value,

        /// <summary>Returns Task or ValueTask: returned tasks are awaited instead.</summary>
        Task,

        /// <summary>Returns Task&lt;T&gt; or ValueTask&lt;T&gt;: returned tasks are awaited (<c>return await e;</c>).</summary>
        TaskOfT,
    }

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

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Awaited(node, model, context.CancellationToken) is not { } replacement
                || LoopFixSyntax.ContainingFunction(node) is not { } function
                || MakeAsync(function, function.ReplaceNode(node, replacement), model, context.CancellationToken) is not { } newFunction)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    // The imports are added here: the code action's own clean-up simplifies names before it would add
                    // them, which would leave `System.Threading.Tasks.Task` spelled out.
                    cancellationToken => ImportAdder.AddImportsAsync(
                        context.Document.WithSyntaxRoot(root.ReplaceNode(function, newFunction)), Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken),
                    equivalenceKey: nameof(UseAwaitCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>The awaiting form of the blocking expression, or null when it has none this fix writes.</summary>
    private static ExpressionSyntax? Awaited(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (node)
        {
            // task.Result
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result:
                return Await(result.Expression, result);

            // task.GetAwaiter().GetResult()
            case InvocationExpressionSyntax
            {
                ArgumentList.Arguments.Count: 0,
                Expression: MemberAccessExpressionSyntax
                {
                    Name.Identifier.ValueText: "GetResult",
                    Expression: InvocationExpressionSyntax
                    {
                        ArgumentList.Arguments.Count: 0,
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter,
                    },
                },
            } getResult:
                return Await(getAwaiter.Expression, getResult);

            // task.Wait(); as a statement (Wait with a timeout returns a bool that await has no equivalent for).
            case InvocationExpressionSyntax
            {
                ArgumentList.Arguments.Count: 0,
                Parent: ExpressionStatementSyntax,
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } wait,
            } call
                when model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol
                {
                    ContainingType: { Name: "Task", ContainingNamespace: { Name: "Tasks" } },
                }:
                return Await(wait.Expression, call);

            default:
                return null;
        }
    }

    /// <summary>(await task), parenthesized for safety and simplified away where the parentheses are not needed.</summary>
    private static ExpressionSyntax Await(ExpressionSyntax task, ExpressionSyntax replaced) =>
        ParenthesizedExpression(AwaitExpression(task.WithoutTrivia()))
            .WithTriviaFrom(replaced)
            .WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>
    /// <paramref name="edited"/> (the function after the replacement) made async, or as it is when it already is;
    /// null when the function cannot be made async mechanically.
    /// </summary>
    private static SyntaxNode? MakeAsync(SyntaxNode original, SyntaxNode edited, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (edited)
        {
            case AnonymousFunctionExpressionSyntax lambda when original is AnonymousFunctionExpressionSyntax originalLambda:
            {
                if (lambda.Modifiers.Any(SyntaxKind.AsyncKeyword))
                {
                    return lambda;
                }

                if (model.GetSymbolInfo(originalLambda, cancellationToken).Symbol is not IMethodSymbol symbol
                    || KindOf(symbol) is not { } kind)
                {
                    return null;
                }

                var body = RewriteBody(lambda.Body, kind);
                if (body is null)
                {
                    return null;
                }

                lambda = lambda.WithBody(body);
                return AddAsync(lambda, lambda.Modifiers, (f, m) => ((AnonymousFunctionExpressionSyntax)f).WithModifiers(m));
            }

            case MethodDeclarationSyntax method when original is MethodDeclarationSyntax originalMethod:
            {
                if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
                {
                    return method;
                }

                if (model.GetDeclaredSymbol(originalMethod, cancellationToken) is not { } symbol
                    || KindOf(symbol) is not { } kind
                    || (method.Body ?? (SyntaxNode?)method.ExpressionBody)?.DescendantNodes().OfType<YieldStatementSyntax>().Any() != false)
                {
                    return null;
                }

                if (method.ExpressionBody is { } arrow)
                {
                    if (RewriteBody(arrow.Expression, kind) is not ExpressionSyntax expression)
                    {
                        return null;
                    }

                    method = method.WithExpressionBody(arrow.WithExpression(expression));
                }
                else if (method.Body is { } block)
                {
                    if (RewriteBody(block, kind) is not BlockSyntax newBlock)
                    {
                        return null;
                    }

                    method = method.WithBody(newBlock);
                }

                method = method.WithReturnType(AsyncReturnType(method.ReturnType, kind));
                return AddAsync(method, method.Modifiers, (f, m) => ((MethodDeclarationSyntax)f).WithModifiers(m));
            }

            default:
                return null;
        }
    }

    private static ReturnKind? KindOf(IMethodSymbol symbol)
    {
        if (symbol.ReturnsByRef || symbol.ReturnsByRefReadonly)
        {
            return null;
        }

        if (symbol.ReturnsVoid)
        {
            return ReturnKind.Void;
        }

        if (symbol.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System" } } } } task)
        {
            return task.IsGenericType ? ReturnKind.TaskOfT : ReturnKind.Task;
        }

        return ReturnKind.Value;
    }

    /// <summary>void → Task, T → Task&lt;T&gt;; task types stay.</summary>
    private static TypeSyntax AsyncReturnType(TypeSyntax returnType, ReturnKind kind)
    {
        var tasks = ParseName("System.Threading.Tasks");
        TypeSyntax? type = kind switch
        {
            ReturnKind.Void => QualifiedName(tasks, IdentifierName("Task")),
            ReturnKind.Value => QualifiedName(tasks, GenericName(Identifier("Task"), TypeArgumentList(SingletonSeparatedList(returnType.WithoutTrivia())))),
            _ => null,
        };
        return type is null
            ? returnType
            : type.WithTriviaFrom(returnType).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    /// <summary>
    /// The function's body as an async body: a task it returned is awaited instead (an expression body becomes
    /// <c>await body</c>; <c>return e;</c> becomes <c>return await e;</c>, or <c>await e; return;</c> for a
    /// non-generic task). Other bodies are unchanged. Nested functions keep their own returns.
    /// </summary>
    private static CSharpSyntaxNode? RewriteBody(CSharpSyntaxNode body, ReturnKind kind)
    {
        if (kind is ReturnKind.Void or ReturnKind.Value)
        {
            return body;
        }

        if (body is ExpressionSyntax expression)
        {
            return AwaitExpression(expression.WithoutTrivia()).WithTriviaFrom(expression);
        }

        if (body is not BlockSyntax block)
        {
            return null;
        }

        var returns = OwnReturns(block).ToList();
        if (kind == ReturnKind.TaskOfT)
        {
            return block.ReplaceNodes(returns, (original, _) => original.Expression is null
                ? original
                : original.WithExpression(AwaitExpression(original.Expression.WithoutTrivia()).WithTriviaFrom(original.Expression)));
        }

        // Non-generic task: `return e;` → `await e;` when it ends the body, else `{ await e; return; }`.
        var last = block.Statements.LastOrDefault();
        return block.ReplaceNodes(returns, (original, _) =>
        {
            if (original.Expression is null)
            {
                return original;
            }

            var awaitStatement = ExpressionStatement(AwaitExpression(original.Expression.WithoutTrivia()));
            if (original == last)
            {
                return awaitStatement.WithTriviaFrom(original);
            }

            return Block(awaitStatement, ReturnStatement()).WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    /// <summary>The return statements of the function itself, not of lambdas or local functions inside it.</summary>
    private static IEnumerable<ReturnStatementSyntax> OwnReturns(BlockSyntax block) =>
        block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<ReturnStatementSyntax>();

    /// <summary>Adds <c>async</c> after the existing modifiers, or in front of the function with its leading trivia.</summary>
    private static SyntaxNode AddAsync(SyntaxNode function, SyntaxTokenList modifiers, System.Func<SyntaxNode, SyntaxTokenList, SyntaxNode> withModifiers)
    {
        if (modifiers.Count > 0)
        {
            return withModifiers(function, modifiers.Add(Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(Space)));
        }

        var leading = function.GetLeadingTrivia();
        var asyncToken = Token(leading, SyntaxKind.AsyncKeyword, TriviaList(Space));
        return withModifiers(function.WithoutLeadingTrivia(), TokenList(asyncToken));
    }
}
