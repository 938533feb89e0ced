using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using Sake.Analyzers.Routing;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.CodeFixes.Routing;

/// <summary>
/// Fixes SAKE0015 by adding the missing parameter to the handler (the attributed method, the lambda, or the method a
/// method group names), typed after the route constraint: <c>{id:int}</c> adds <c>int id</c>. A partial method gets the
/// parameter in both its parts. Not offered where the edit cannot compile: the name is already a parameter's (say
/// <c>[FromQuery] int id</c>) or a local's of the handler, or a cast fixes the delegate type of a method group.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRouteParameterCodeFix))]
[Shared]
public sealed class AddRouteParameterCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of every "Add parameter" action (one key, so Fix All applies them together).</summary>
    public const string EquivalenceKey = "SAKE0015.AddParameter";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.RouteParameterNotBound.Id);

    /// <summary>
    /// The batch fixer merges text changes, and two parameters added to one parameter list are overlapping changes it
    /// drops one of (so Fix All needed a second pass); <see cref="FixAll"/> adds every missing parameter of a handler
    /// in one edit instead.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var request = await RequestAsync(context.Document.Project.Solution, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (request is null || !request.Value.Handler.Accepts(request.Value.Parameter.Name))
            {
                continue;
            }

            var (handler, parameter) = request.Value;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add parameter '{parameter.Name}'",
                    ct => ApplyAsync(context.Document.Project.Solution, new[] { (handler, new List<Parameter> { parameter }) }, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>A parameter to add, and where its diagnostic sits (to keep the pattern's order in Fix All).</summary>
    private readonly record struct Parameter(string Name, string Type, int Location, int Position);

    /// <summary>
    /// The declarations that get the parameter: one, or both parts of a partial method (possibly in two documents).
    /// <see cref="Index"/> is where the new parameters go, the same in every part so that the signatures still match.
    /// </summary>
    private sealed class Handler
    {
        public Handler(ImmutableArray<(DocumentId Document, SyntaxNode Node)> declarations, int index)
        {
            Declarations = declarations;
            Index = index;
        }

        public ImmutableArray<(DocumentId Document, SyntaxNode Node)> Declarations { get; }

        public int Index { get; }

        /// <summary>Identifies the handler across diagnostics: its first declaration.</summary>
        public (DocumentId, TextSpan) Key => (Declarations[0].Document, Declarations[0].Node.Span);

        /// <summary>
        /// False when the name would clash: a parameter of that name already exists (one sent elsewhere by
        /// [FromQuery]…, CS0100; compared ignoring case, as route binding does, since <c>id</c> beside <c>Id</c> would
        /// only move the confusion), or the body declares a local of that name (CS0136).
        /// </summary>
        public bool Accepts(string name) => Declarations.All(d => !Declares(d.Node, name));
    }

    /// <summary>The handler and parameter one diagnostic asks for; null when there is nothing the fix can edit.</summary>
    private static async Task<(Handler Handler, Parameter Parameter)?> RequestAsync(Solution solution, Diagnostic diagnostic, CancellationToken ct)
    {
        if (!diagnostic.Properties.TryGetValue(RouteParameterNotBoundAnalyzer.NameProperty, out var name) || name is null
            || !diagnostic.Properties.TryGetValue(RouteParameterNotBoundAnalyzer.TypeProperty, out var type) || type is null
            || diagnostic.Location.SourceTree is not { } tree
            || solution.GetDocument(tree) is not { } document)
        {
            return null;
        }

        int position = diagnostic.Properties.TryGetValue(RouteParameterNotBoundAnalyzer.PositionProperty, out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var handler = await FindHandlerAsync(document, node, ct).ConfigureAwait(false);
        return handler is null ? null : (handler, new Parameter(name, type, diagnostic.Location.SourceSpan.Start, position));
    }

    /// <summary>
    /// The declarations that get the parameter: the method carrying the route attribute, or, for a fluent call's
    /// pattern, the lambda or the source of the method group passed as the handler (possibly in another document).
    /// </summary>
    private static async Task<Handler?> FindHandlerAsync(Document document, SyntaxNode node, CancellationToken ct)
    {
        if (await document.GetSemanticModelAsync(ct).ConfigureAwait(false) is not { } model)
        {
            return null;
        }

        if (node.FirstAncestorOrSelf<AttributeSyntax>() is not null)
        {
            return node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
                && model.GetDeclaredSymbol(method, ct) is { } declared
                ? await MethodHandlerAsync(document.Project.Solution, declared, ct).ConfigureAwait(false)
                : null;
        }

        if (node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Parent: ArgumentListSyntax list } pattern)
        {
            return null;
        }

        var handler = list.Arguments.FirstOrDefault(a => a != pattern && (a.NameColon is null || a.NameColon.Name.Identifier.ValueText == "handler"));
        var expression = handler?.Expression;
        bool delegateCast = false;
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            if (expression is CastExpressionSyntax cast)
            {
                // A cast to Delegate itself fixes nothing; one to a delegate type fixes the signature.
                delegateCast |= model.GetTypeInfo(cast.Type, ct).Type is { TypeKind: TypeKind.Delegate };
                expression = cast.Expression;
            }
            else
            {
                expression = ((ParenthesizedExpressionSyntax)expression).Expression;
            }
        }

        if (expression is AnonymousFunctionExpressionSyntax lambda)
        {
            var parameters = lambda switch
            {
                ParenthesizedLambdaExpressionSyntax p => p.ParameterList,
                AnonymousMethodExpressionSyntax m => m.ParameterList,
                _ => null,
            };
            return new Handler(ImmutableArray.Create((document.Id, (SyntaxNode)lambda)), parameters is null ? 1 : InsertIndex(parameters));
        }

        // (Func<int>)Handler: the method would no longer match the cast's signature (CS0123), and unlike a lambda's,
        // its declaration is elsewhere, away from the cast the error then points at. (An implicitly typed lambda
        // needs such a cast to have a type at all, so it still gets the parameter, and CS1593 on the lambda itself.)
        if (expression is null || delegateCast)
        {
            return null;
        }

        var info = model.GetSymbolInfo(expression, ct);
        var symbol = info.Symbol as IMethodSymbol ?? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
        return symbol is null ? null : await MethodHandlerAsync(document.Project.Solution, (symbol.ReducedFrom ?? symbol).OriginalDefinition, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A method's declarations: both parts of a partial method, since changing one part's signature alone leaves each
    /// without its other half (CS8795, CS0759). Null for an override or an explicit interface implementation, whose
    /// signature is not the method's own to change, and for a method without source.
    /// </summary>
    private static async Task<Handler?> MethodHandlerAsync(Solution solution, IMethodSymbol method, CancellationToken ct)
    {
        var definition = method.PartialDefinitionPart ?? method;
        if (definition.IsOverride || definition.ExplicitInterfaceImplementations.Length > 0)
        {
            return null;
        }

        var builder = ImmutableArray.CreateBuilder<(DocumentId, SyntaxNode)>();
        int index = int.MaxValue;
        foreach (var part in new[] { definition, definition.PartialImplementationPart })
        {
            if (part?.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference)
            {
                continue;
            }

            if (solution.GetDocument(reference.SyntaxTree) is not { } declaring
                || await reference.GetSyntaxAsync(ct).ConfigureAwait(false) is not MethodDeclarationSyntax declaration)
            {
                return null;
            }

            if (!builder.Any(b => b.Item2 == declaration))
            {
                builder.Add((declaring.Id, declaration));
                index = Math.Min(index, InsertIndex(declaration.ParameterList));
            }
        }

        return builder.Count == 0 ? null : new Handler(builder.ToImmutable(), index);
    }

    /// <summary>Before the first optional or <c>params</c> parameter (those must stay last), else at the end.</summary>
    private static int InsertIndex(ParameterListSyntax list)
    {
        for (int i = 0; i < list.Parameters.Count; i++)
        {
            var p = list.Parameters[i];
            if (p.Default is not null || p.Modifiers.Any(SyntaxKind.ParamsKeyword))
            {
                return i;
            }
        }

        return list.Parameters.Count;
    }

    /// <summary>
    /// True when <paramref name="name"/> is already taken in the declaration's own scope: one of its parameters
    /// (ignoring case), or a local, pattern variable, loop variable, catch variable or local function of its body.
    /// Names inside nested lambdas and local functions may shadow a parameter, so those are not looked at.
    /// </summary>
    private static bool Declares(SyntaxNode declaration, string name)
    {
        SeparatedSyntaxList<ParameterSyntax> parameters;
        SyntaxNode? body;
        switch (declaration)
        {
            case MethodDeclarationSyntax method:
                parameters = method.ParameterList.Parameters;
                body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
                break;
            case ParenthesizedLambdaExpressionSyntax lambda:
                parameters = lambda.ParameterList.Parameters;
                body = lambda.Body;
                break;
            case SimpleLambdaExpressionSyntax lambda:
                parameters = SyntaxFactory.SingletonSeparatedList(lambda.Parameter);
                body = lambda.Body;
                break;
            case AnonymousMethodExpressionSyntax method:
                parameters = method.ParameterList?.Parameters ?? default;
                body = method.Body;
                break;
            default:
                return true;
        }

        if (parameters.Any(p => string.Equals(p.Identifier.ValueText, name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (body is null)
        {
            return false;
        }

        foreach (var node in body.DescendantNodesAndSelf(n => n == body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            var identifier = node switch
            {
                VariableDeclaratorSyntax v => v.Identifier,
                SingleVariableDesignationSyntax d => d.Identifier,
                ForEachStatementSyntax f => f.Identifier,
                CatchDeclarationSyntax c => c.Identifier,
                LocalFunctionStatementSyntax l => l.Identifier,
                _ => default,
            };
            if (identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds each handler's parameters, in the given order, to every declaration of it, document by document.</summary>
    private static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<(Handler Handler, List<Parameter> Parameters)> edits, CancellationToken ct)
    {
        // Keyed by span, not by node: the root fetched here need not be the instance the handler was found in.
        var byDocument = new Dictionary<DocumentId, Dictionary<TextSpan, (Handler, List<Parameter>)>>();
        foreach (var (handler, parameters) in edits)
        {
            foreach (var (documentId, node) in handler.Declarations)
            {
                if (!byDocument.TryGetValue(documentId, out var spans))
                {
                    byDocument[documentId] = spans = new Dictionary<TextSpan, (Handler, List<Parameter>)>();
                }

                spans[node.Span] = (handler, parameters);
            }
        }

        foreach (var pair in byDocument)
        {
            if (solution.GetDocument(pair.Key) is not { } document
                || await document.GetSyntaxRootAsync(ct).ConfigureAwait(false) is not { } root)
            {
                continue;
            }

            var targets = new List<SyntaxNode>();
            foreach (var span in pair.Value.Keys)
            {
                if (root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf()
                    .FirstOrDefault(n => n.Span == span && n is MethodDeclarationSyntax or AnonymousFunctionExpressionSyntax) is { } target)
                {
                    targets.Add(target);
                }
            }

            // ReplaceNodes hands over the node with nested replacements done (a lambda handler inside another's body).
            var newRoot = root.ReplaceNodes(targets, (original, rewritten) =>
            {
                var (handler, parameters) = pair.Value[original.Span];
                return AddAll(rewritten, parameters, handler.Index);
            });
            solution = solution.WithDocumentSyntaxRoot(pair.Key, newRoot);
        }

        return solution;
    }

    private static SyntaxNode AddAll(SyntaxNode target, List<Parameter> parameters, int index)
    {
        switch (target)
        {
            case MethodDeclarationSyntax method:
                return method.WithParameterList(Add(method.ParameterList, parameters, index, untyped: false));
            case ParenthesizedLambdaExpressionSyntax lambda:
                return lambda.WithParameterList(Add(lambda.ParameterList, parameters, index, untyped: AllUntyped(lambda.ParameterList)));
            case SimpleLambdaExpressionSyntax lambda:
                // x => … has one implicitly typed parameter, so the new ones are implicitly typed too.
                var parenthesized = ToParenthesized(lambda);
                return parenthesized.WithParameterList(Add(parenthesized.ParameterList, parameters, 1, untyped: true));
            case AnonymousMethodExpressionSyntax method:
                var list = method.ParameterList ?? SyntaxFactory.ParameterList();
                return method.WithParameterList(Add(list, parameters, Math.Min(index, list.Parameters.Count), untyped: false));
            default:
                return target;
        }
    }

    /// <summary>
    /// An implicitly typed lambda can only take another implicitly typed parameter (mixing is not allowed); one with no
    /// parameters, or typed ones, gets a typed parameter, which also gives it the natural type interception needs.
    /// </summary>
    private static bool AllUntyped(ParameterListSyntax list) => list.Parameters.Count > 0 && list.Parameters.All(p => p.Type is null);

    /// <summary><c>x =&gt; …</c> becomes <c>(x) =&gt; …</c>, so that parameters can be added to its list.</summary>
    private static ParenthesizedLambdaExpressionSyntax ToParenthesized(SimpleLambdaExpressionSyntax lambda)
    {
        var parameters = SyntaxFactory.ParameterList(SyntaxFactory.SingletonSeparatedList(lambda.Parameter.WithoutTrivia()));
        return SyntaxFactory.ParenthesizedLambdaExpression(lambda.AsyncKeyword, parameters.WithTriviaFrom(lambda.Parameter), lambda.ArrowToken, lambda.Block, lambda.ExpressionBody)
            .WithModifiers(lambda.Modifiers)
            .WithAttributeLists(lambda.AttributeLists)
            .WithTriviaFrom(lambda);
    }

    /// <summary>
    /// Inserts the parameters at <paramref name="index"/>, in order. The type is written in full (<c>System.Guid</c>)
    /// and simplified where a using allows.
    /// </summary>
    private static ParameterListSyntax Add(ParameterListSyntax list, List<Parameter> parameters, int index, bool untyped)
    {
        var nodes = list.Parameters.ToList();
        index = Math.Min(index, nodes.Count);
        foreach (var added in parameters)
        {
            var parameter = SyntaxFactory.Parameter(Identifier(added.Name));
            if (!untyped)
            {
                parameter = parameter.WithType(SyntaxFactory.ParseTypeName(added.Type).WithAdditionalAnnotations(Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.Space));
            }

            nodes.Insert(index++, parameter);
        }

        var separators = list.Parameters.GetSeparators().ToList();
        while (separators.Count < nodes.Count - 1)
        {
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return list.WithParameters(SyntaxFactory.SeparatedList(nodes, separators.Take(nodes.Count - 1)));
    }

    /// <summary>The name as an identifier, escaped with '@' where it is a C# keyword (<c>{class}</c>).</summary>
    private static SyntaxToken Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? SyntaxFactory.Identifier("@" + name) : SyntaxFactory.Identifier(name);

    /// <summary>
    /// Fix All for SAKE0015: gathers the diagnostics of the scope, groups them by handler, and adds each handler's
    /// missing parameters in one edit, in pattern order (by diagnostic position, then position in the pattern). A name
    /// asked for twice (two route attributes, or <c>{id}</c> and <c>{ID}</c>, which bind alike) is added once.
    /// </summary>
    private sealed class FixAll : FixAllProvider
    {
        public static readonly FixAll Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != EquivalenceKey)
            {
                return null;
            }

            var diagnostics = new List<Diagnostic>();
            switch (fixAllContext.Scope)
            {
                case FixAllScope.Document when fixAllContext.Document is not null:
                    diagnostics.AddRange(await fixAllContext.GetDocumentDiagnosticsAsync(fixAllContext.Document).ConfigureAwait(false));
                    break;
                case FixAllScope.Project:
                    diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false));
                    break;
                case FixAllScope.Solution:
                    foreach (var project in fixAllContext.Solution.Projects)
                    {
                        diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    }

                    break;
            }

            if (diagnostics.Count == 0)
            {
                return null;
            }

            var solution = fixAllContext.Solution;
            return CodeAction.Create(
                "Add missing route parameters",
                ct => FixAsync(solution, diagnostics, ct),
                EquivalenceKey);
        }

        private static async Task<Solution> FixAsync(Solution solution, List<Diagnostic> diagnostics, CancellationToken ct)
        {
            var handlers = new Dictionary<(DocumentId, TextSpan), (Handler Handler, List<Parameter> Parameters)>();
            foreach (var diagnostic in diagnostics)
            {
                if (await RequestAsync(solution, diagnostic, ct).ConfigureAwait(false) is not { } request)
                {
                    continue;
                }

                if (!handlers.TryGetValue(request.Handler.Key, out var entry))
                {
                    handlers[request.Handler.Key] = entry = (request.Handler, new List<Parameter>());
                }

                entry.Parameters.Add(request.Parameter);
            }

            var edits = new List<(Handler, List<Parameter>)>();
            foreach (var (handler, requested) in handlers.Values)
            {
                var parameters = new List<Parameter>();
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in requested.OrderBy(p => p.Location).ThenBy(p => p.Position))
                {
                    if (handler.Accepts(parameter.Name) && names.Add(parameter.Name))
                    {
                        parameters.Add(parameter);
                    }
                }

                if (parameters.Count > 0)
                {
                    edits.Add((handler, parameters));
                }
            }

            return await ApplyAsync(solution, edits, ct).ConfigureAwait(false);
        }
    }
}
