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
using Microsoft.CodeAnalysis.Simplification;
using Sake.Analyzers.Routing;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.CodeFixes.Routing;

/// <summary>
/// Fixes SAKE0015 by adding the missing parameter to the handler (the attributed method, the lambda, or the method a
/// method group names), typed after the route constraint: <c>{id:int}</c> adds <c>int id</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRouteParameterCodeFix))]
[Shared]
public sealed class AddRouteParameterCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of every "Add parameter" action (one key, so Fix All applies them together).</summary>
    public const string EquivalenceKey = "SAKE0015.AddParameter";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.RouteParameterNotBound.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(RouteParameterNotBoundAnalyzer.NameProperty, out var name) || name is null
                || !diagnostic.Properties.TryGetValue(RouteParameterNotBoundAnalyzer.TypeProperty, out var type) || type is null)
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var handler = await FindHandlerAsync(context.Document, node, context.CancellationToken).ConfigureAwait(false);
            if (handler is null)
            {
                continue;
            }

            var (document, target) = handler.Value;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add parameter '{name}'",
                    ct => AddParameterAsync(context.Document.Project.Solution, document, target, name, type, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The declaration that gets the parameter: the method carrying the route attribute, or, for a fluent call's
    /// pattern, the lambda or the source of the method group passed as the handler (possibly in another document).
    /// </summary>
    private static async Task<(Document Document, SyntaxNode Target)?> FindHandlerAsync(Document document, SyntaxNode node, CancellationToken ct)
    {
        if (node.FirstAncestorOrSelf<AttributeSyntax>() is not null)
        {
            return node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method ? (document, method) : null;
        }

        if (node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Parent: ArgumentListSyntax list } pattern)
        {
            return null;
        }

        var handler = list.Arguments.FirstOrDefault(a => a != pattern && (a.NameColon is null || a.NameColon.Name.Identifier.ValueText == "handler"));
        var expression = handler?.Expression;
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            expression = expression is ParenthesizedExpressionSyntax p ? p.Expression : ((CastExpressionSyntax)expression).Expression;
        }

        if (expression is AnonymousFunctionExpressionSyntax lambda)
        {
            return (document, lambda);
        }

        if (expression is null || await document.GetSemanticModelAsync(ct).ConfigureAwait(false) is not { } model)
        {
            return null;
        }

        var info = model.GetSymbolInfo(expression, ct);
        var symbol = info.Symbol as IMethodSymbol ?? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
        if (symbol?.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
            || document.Project.Solution.GetDocument(reference.SyntaxTree) is not { } declaring
            || await reference.GetSyntaxAsync(ct).ConfigureAwait(false) is not MethodDeclarationSyntax declaration)
        {
            return null;
        }

        return (declaring, declaration);
    }

    private static async Task<Solution> AddParameterAsync(Solution solution, Document document, SyntaxNode target, string name, string type, CancellationToken ct)
    {
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        if (root is null)
        {
            return solution;
        }

        SyntaxNode replacement = target switch
        {
            MethodDeclarationSyntax method => method.WithParameterList(Add(method.ParameterList, name, type, untyped: false)),
            ParenthesizedLambdaExpressionSyntax lambda => lambda.WithParameterList(Add(lambda.ParameterList, name, type, untyped: AllUntyped(lambda.ParameterList))),
            SimpleLambdaExpressionSyntax lambda => ToParenthesized(lambda, name),
            AnonymousMethodExpressionSyntax method => method.WithParameterList(Add(method.ParameterList ?? SyntaxFactory.ParameterList(), name, type, untyped: false)),
            _ => target,
        };

        return solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNode(target, replacement));
    }

    /// <summary>
    /// An implicitly typed lambda can only take another implicitly typed parameter (mixing is not allowed); one with no
    /// parameters, or typed ones, gets a typed parameter, which also gives it the natural type interception needs.
    /// </summary>
    private static bool AllUntyped(ParameterListSyntax list) => list.Parameters.Count > 0 && list.Parameters.All(p => p.Type is null);

    /// <summary><c>x =&gt; …</c> becomes <c>(x, id) =&gt; …</c>: its one parameter is implicitly typed, so the new one is too.</summary>
    private static ParenthesizedLambdaExpressionSyntax ToParenthesized(SimpleLambdaExpressionSyntax lambda, string name)
    {
        var parameters = SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(
            new[] { lambda.Parameter.WithoutTrivia(), SyntaxFactory.Parameter(Identifier(name)) },
            new[] { SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space) }));
        return SyntaxFactory.ParenthesizedLambdaExpression(lambda.AsyncKeyword, parameters.WithTriviaFrom(lambda.Parameter), lambda.ArrowToken, lambda.Block, lambda.ExpressionBody)
            .WithModifiers(lambda.Modifiers)
            .WithAttributeLists(lambda.AttributeLists)
            .WithTriviaFrom(lambda);
    }

    /// <summary>
    /// Adds the parameter before the first optional or <c>params</c> parameter (those must stay last), else at the end.
    /// The type is written in full (<c>System.Guid</c>) and simplified where a using allows.
    /// </summary>
    private static ParameterListSyntax Add(ParameterListSyntax list, string name, string type, bool untyped)
    {
        var parameter = SyntaxFactory.Parameter(Identifier(name));
        if (!untyped)
        {
            parameter = parameter.WithType(SyntaxFactory.ParseTypeName(type).WithAdditionalAnnotations(Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.Space));
        }

        int index = list.Parameters.Count;
        for (int i = 0; i < list.Parameters.Count; i++)
        {
            var p = list.Parameters[i];
            if (p.Default is not null || p.Modifiers.Any(SyntaxKind.ParamsKeyword))
            {
                index = i;
                break;
            }
        }

        var nodes = list.Parameters.ToList();
        nodes.Insert(index, parameter);
        var separators = list.Parameters.GetSeparators().ToList();
        separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        return list.WithParameters(SyntaxFactory.SeparatedList(nodes, separators.Take(nodes.Count - 1)));
    }

    /// <summary>The name as an identifier, escaped with '@' where it is a C# keyword (<c>{class}</c>).</summary>
    private static SyntaxToken Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? SyntaxFactory.Identifier("@" + name) : SyntaxFactory.Identifier(name);
}
