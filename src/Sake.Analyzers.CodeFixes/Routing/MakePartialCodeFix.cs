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
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.CodeFixes.Routing;

/// <summary>
/// Fixes SAKE0001 (raised by the generator) by adding <c>partial</c> to the handler class and to every type containing
/// it that lacks it: the generated registration is added to the class, so the whole nesting must be partial.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix))]
[Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of every "Make partial" action (one key, so Fix All applies them together).</summary>
    public const string EquivalenceKey = "SAKE0001.MakePartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ClassMustBePartial.Id);

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
            // The generator reports on the class's name.
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{type.Identifier.ValueText}' partial",
                    ct => MakePartialAsync(context.Document, type, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax type, CancellationToken ct)
    {
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var lacking = type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword));
        return document.WithSyntaxRoot(root.ReplaceNodes(lacking, (_, rewritten) => AddPartial(rewritten)));
    }

    /// <summary>
    /// Appends <c>partial</c> to the modifiers: it must come right before <c>class</c>/<c>struct</c>/<c>record</c>/
    /// <c>interface</c>. With no modifiers, it takes over the keyword's leading trivia (indentation, comments).
    /// </summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count > 0)
        {
            return type.WithModifiers(type.Modifiers.Add(partial));
        }

        var keyword = type.Keyword;
        return type
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
