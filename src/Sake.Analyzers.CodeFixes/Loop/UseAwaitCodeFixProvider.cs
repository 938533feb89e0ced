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
                || !AwaitAllowedAt(node, function)
                || HasRefLikeLocals(function, model, context.CancellationToken)
                || MakeAsync(function, node, replacement, model, context.CancellationToken) is not { } newFunction)
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
    /// Whether <c>await</c> may stand where <paramref name="node"/> is (the compiler rejects it in a lock body, CS1996;
    /// in a catch filter, CS7094; in a query clause other than the first collection, CS1995; in an unsafe context,
    /// CS4004). Catch and finally blocks are fine since C# 6.
    /// </summary>
    private static bool AwaitAllowedAt(SyntaxNode node, SyntaxNode function)
    {
        var child = node;
        for (var current = node.Parent; current is not null && current != function; child = current, current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax @lock when child == @lock.Statement:
                case CatchFilterClauseSyntax:
                case UnsafeStatementSyntax:
                case FixedStatementSyntax:
                case QueryExpressionSyntax query when child != query.FromClause:
                case FromClauseSyntax from when child != from.Expression:
                    return false;
            }
        }

        // An unsafe modifier on the function or anything around it makes the whole body an unsafe context, and so
        // does an unsafe block around a lambda.
        foreach (var ancestor in node.Ancestors())
        {
            var modifiers = ancestor switch
            {
                MemberDeclarationSyntax member => member.Modifiers,
                LocalFunctionStatementSyntax local => local.Modifiers,
                _ => default,
            };
            if (ancestor is UnsafeStatementSyntax || modifiers.Any(SyntaxKind.UnsafeKeyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the function's own body declares a ref local or a ref struct local (a Span), or stackallocs: an await
    /// that such a value lives across is an error the compiler reports only when it emits (CS4007, CS4013), so a
    /// fix that passed every check here could still break the build. Telling which values live across the new await
    /// is not mechanical; the fix stays away.
    /// </summary>
    private static bool HasRefLikeLocals(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in OwnNodes(function))
        {
            if (node is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax)
            {
                return true;
            }

            if (node is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax
                && model.GetDeclaredSymbol(node, cancellationToken) is ILocalSymbol local
                && (local.RefKind != RefKind.None || local.Type.IsRefLikeType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The function with <paramref name="node"/> replaced by <paramref name="replacement"/>, made async when it is not;
    /// null when it cannot be made async mechanically.
    /// </summary>
    private static SyntaxNode? MakeAsync(SyntaxNode function, SyntaxNode node, SyntaxNode replacement, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (function)
        {
            case AnonymousFunctionExpressionSyntax lambda:
            {
                if (lambda.Modifiers.Any(SyntaxKind.AsyncKeyword))
                {
                    return lambda.ReplaceNode(node, replacement);
                }

                if (model.GetSymbolInfo(lambda, cancellationToken).Symbol is not IMethodSymbol symbol
                    || !CanBeAsync(symbol)
                    || KindOf(symbol) is not { } kind
                    || RewriteBody(lambda.Body, node, replacement, kind, model, cancellationToken) is not { } body)
                {
                    return null;
                }

                var newLambda = lambda.WithBody(body);
                return AddAsync(newLambda, newLambda.Modifiers, (f, m) => ((AnonymousFunctionExpressionSyntax)f).WithModifiers(m));
            }

            case MethodDeclarationSyntax method:
            {
                if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
                {
                    return method.ReplaceNode(node, replacement);
                }

                if (model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
                    || !CanBeAsync(symbol)
                    || KindOf(symbol) is not { } kind
                    || OwnNodes(method).OfType<YieldStatementSyntax>().Any())
                {
                    return null;
                }

                if (method.ExpressionBody is { } arrow)
                {
                    if (RewriteBody(arrow.Expression, node, replacement, kind, model, cancellationToken) is not ExpressionSyntax expression)
                    {
                        return null;
                    }

                    method = method.WithExpressionBody(arrow.WithExpression(expression));
                }
                else if (method.Body is { } block)
                {
                    if (RewriteBody(block, node, replacement, kind, model, cancellationToken) is not BlockSyntax newBlock)
                    {
                        return null;
                    }

                    method = method.WithBody(newBlock);
                }
                else
                {
                    return null;
                }

                method = method.WithReturnType(AsyncReturnType(method.ReturnType, kind));
                return AddAsync(method, method.Modifiers, (f, m) => ((MethodDeclarationSyntax)f).WithModifiers(m));
            }

            default:
                return null;
        }
    }

    /// <summary>Async functions cannot take ref, in or out parameters (CS1988) nor ref struct ones such as Span (CS4012).</summary>
    private static bool CanBeAsync(IMethodSymbol symbol) =>
        symbol.Parameters.All(p => p.RefKind == RefKind.None && !p.Type.IsRefLikeType);

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

        if (IsTaskType(symbol.ReturnType))
        {
            return ((INamedTypeSymbol)symbol.ReturnType).IsGenericType ? ReturnKind.TaskOfT : ReturnKind.Task;
        }

        return ReturnKind.Value;
    }

    /// <summary>System.Threading.Tasks.Task or ValueTask, generic or not.</summary>
    private static bool IsTaskType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

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
    /// The function's body with <paramref name="node"/> replaced and made an async body: what it returned as a task
    /// is returned as the task's result instead (see <see cref="Returned"/>). Void and value-returning bodies only get
    /// the replacement. Nested functions keep their own returns. Null when a return has no async form.
    /// </summary>
    private static CSharpSyntaxNode? RewriteBody(CSharpSyntaxNode body, SyntaxNode node, SyntaxNode replacement, ReturnKind kind, SemanticModel model, CancellationToken cancellationToken)
    {
        if (kind is ReturnKind.Void or ReturnKind.Value)
        {
            return body == node ? (CSharpSyntaxNode)replacement : body.ReplaceNode(node, replacement);
        }

        if (body is ExpressionSyntax expression)
        {
            // The classification reads the original expression; the rewrite takes the edited one.
            var edited = expression == node ? (ExpressionSyntax)replacement : expression.ReplaceNode(node, replacement);
            return Returned(expression, model, cancellationToken, kind) switch
            {
                ReturnedAs.Await => AwaitOf(edited).WithTriviaFrom(expression),
                ReturnedAs.Result => ResultOf(edited).WithTriviaFrom(expression),
                ReturnedAs.Default when kind == ReturnKind.TaskOfT => LiteralExpression(SyntaxKind.DefaultLiteralExpression).WithTriviaFrom(expression),

                // An expression body has no `return;`; a handler that only hands back a completed task does not block.
                _ => null,
            };
        }

        if (body is not BlockSyntax block)
        {
            return null;
        }

        var returns = OwnNodes(block).OfType<ReturnStatementSyntax>().ToList();
        var forms = new Dictionary<ReturnStatementSyntax, ReturnedAs>();
        foreach (var statement in returns)
        {
            var form = statement.Expression is null ? ReturnedAs.Unchanged : Returned(statement.Expression, model, cancellationToken, kind);
            if (form == ReturnedAs.None)
            {
                return null;
            }

            forms.Add(statement, form);
        }

        var last = block.Statements.LastOrDefault();
        var removable = new SyntaxAnnotation();
        var newBlock = block.ReplaceNodes(
            returns.Cast<SyntaxNode>().Append(node),
            (original, rewritten) =>
            {
                if (original == node)
                {
                    return replacement;
                }

                var statement = (ReturnStatementSyntax)rewritten;
                if (statement.Expression is not { } returned)
                {
                    return statement;
                }

                switch (forms[(ReturnStatementSyntax)original])
                {
                    case ReturnedAs.Result:
                        return statement.WithExpression(ResultOf(returned).WithTriviaFrom(returned));

                    case ReturnedAs.Default:
                        return statement.WithExpression(LiteralExpression(SyntaxKind.DefaultLiteralExpression).WithTriviaFrom(returned));

                    case ReturnedAs.Await when kind == ReturnKind.TaskOfT:
                        return statement.WithExpression(AwaitOf(returned).WithTriviaFrom(returned));

                    case ReturnedAs.Await:
                    {
                        // Non-generic task: `return e;` → `await e;` when it ends the body, else `{ await e; return; }`.
                        var awaitStatement = ExpressionStatement(AwaitOf(returned));
                        return original == last
                            ? awaitStatement.WithTriviaFrom(statement)
                            : Block(awaitStatement, ReturnStatement()).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
                    }

                    default:
                    {
                        // A completed task: `return;`, or nothing when it ends the body (unless comments hang on it).
                        var bare = statement.WithExpression(null).WithSemicolonToken(statement.SemicolonToken.WithLeadingTrivia(statement.Expression.GetTrailingTrivia()));
                        bare = bare.WithReturnKeyword(bare.ReturnKeyword.WithTrailingTrivia());
                        return original == last && !HasComments(statement)
                            ? bare.WithAdditionalAnnotations(removable)
                            : bare;
                    }
                }
            });

        return newBlock.GetAnnotatedNodes(removable).FirstOrDefault() is { } redundant
            ? newBlock.RemoveNode(redundant, SyntaxRemoveOptions.KeepNoTrivia)
            : newBlock;
    }

    private enum ReturnedAs
    {
        /// <summary>A bare <c>return;</c>: stays.</summary>
        Unchanged,

        /// <summary>No async form the fix writes (a null Task&lt;T&gt;): the fix is not offered.</summary>
        None,

        /// <summary>Any other task: awaited.</summary>
        Await,

        /// <summary>A completed task (Task.CompletedTask, default): <c>return;</c>.</summary>
        Completed,

        /// <summary>default(ValueTask&lt;T&gt;), whose result is default(T): <c>return default;</c>.</summary>
        Default,

        /// <summary>Task.FromResult(x), ValueTask.FromResult(x), new ValueTask&lt;T&gt;(x): <c>return x;</c>.</summary>
        Result,
    }

    /// <summary>
    /// How a task the function returns is returned once it is async. Writing <c>await</c> in front of everything
    /// would turn the usual <c>return default;</c> into <c>await default;</c>, which has no type (CS8716), and
    /// <c>await Task.FromResult(x)</c> only says <c>x</c> the long way.
    /// </summary>
    private static ReturnedAs Returned(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken, ReturnKind kind)
    {
        var bare = expression;
        while (bare is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            bare = bare is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((PostfixUnaryExpressionSyntax)bare).Operand;
        }

        var generic = kind == ReturnKind.TaskOfT;
        var convertedType = model.GetTypeInfo(expression, cancellationToken).ConvertedType;
        switch (bare)
        {
            // default and null: a default ValueTask is completed (with default(T) for a ValueTask<T>); a null Task
            // is no task at all. For a plain Task the handler had nothing more to say, so `return;` keeps the intent;
            // a null Task<T> has no result to return.
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression or (int)SyntaxKind.NullLiteralExpression }:
            case DefaultExpressionSyntax:
                return !generic ? ReturnedAs.Completed
                    : convertedType is { IsValueType: true } ? ReturnedAs.Default
                    : ReturnedAs.None;

            // new ValueTask(): completed; new ValueTask<T>(x) with x a T (not a Task<T> or a source): x.
            case BaseObjectCreationExpressionSyntax creation
                when model.GetSymbolInfo(creation, cancellationToken).Symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                    && IsTaskType(constructor.ContainingType):
                if (constructor.Parameters.Length == 0)
                {
                    return generic ? ReturnedAs.Default : ReturnedAs.Completed;
                }

                return generic && constructor.Parameters.Length == 1 && constructor.OriginalDefinition.Parameters[0].Type is ITypeParameterSymbol
                    ? ReturnedAs.Result
                    : ReturnedAs.Await;

            // Task.FromResult(x), ValueTask.FromResult(x): x.
            case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
                when generic
                    && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "FromResult", IsStatic: true } fromResult
                    && IsTaskType(fromResult.ContainingType):
                return ReturnedAs.Result;

            // Task.CompletedTask, ValueTask.CompletedTask.
            case MemberAccessExpressionSyntax access
                when !generic
                    && model.GetSymbolInfo(access, cancellationToken).Symbol is IPropertySymbol { Name: "CompletedTask", IsStatic: true } completed
                    && IsTaskType(completed.ContainingType):
                return ReturnedAs.Completed;
        }

        // Something that is not itself a task but converts to one has nothing to await.
        return IsTaskType(model.GetTypeInfo(expression, cancellationToken).Type) ? ReturnedAs.Await : ReturnedAs.None;
    }

    /// <summary>x of Task.FromResult(x), ValueTask.FromResult(x) or new ValueTask&lt;T&gt;(x), looking through (…) and !.</summary>
    private static ExpressionSyntax ResultOf(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                case PostfixUnaryExpressionSyntax suppressed:
                    expression = suppressed.Operand;
                    continue;
                case InvocationExpressionSyntax invocation:
                    return invocation.ArgumentList.Arguments[0].Expression.WithoutTrivia();
                case BaseObjectCreationExpressionSyntax creation:
                    return creation.ArgumentList!.Arguments[0].Expression.WithoutTrivia();
                default:
                    return expression;
            }
        }
    }

    /// <summary>await e, with e parenthesized (and simplified back) where it is more than a primary expression.</summary>
    private static ExpressionSyntax AwaitOf(ExpressionSyntax expression)
    {
        var operand = expression.WithoutTrivia();
        if (operand is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax or SimpleNameSyntax or ElementAccessExpressionSyntax
            or BaseObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax))
        {
            operand = ParenthesizedExpression(operand).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        return AwaitExpression(operand);
    }

    private static bool HasComments(SyntaxNode node) =>
        node.DescendantTrivia(descendIntoTrivia: true).Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)
            || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia));

    /// <summary>The nodes of the function itself, not of lambdas or local functions inside it.</summary>
    private static IEnumerable<SyntaxNode> OwnNodes(SyntaxNode function) =>
        function.DescendantNodes(n => n == function || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));

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
