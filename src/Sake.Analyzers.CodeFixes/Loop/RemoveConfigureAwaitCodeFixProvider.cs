using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.CodeFixes.Loop;

/// <summary>
/// SAKE0022: "Remove ConfigureAwait(false)": <c>x.ConfigureAwait(false)</c> → <c>x</c>. Offered for <c>false</c> and
/// <c>ConfigureAwaitOptions.None</c> only: removing other options (SuppressThrowing, ForceYielding) would change more
/// than the thread the handler resumes on.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveConfigureAwaitCodeFixProvider)), Shared]
public sealed class RemoveConfigureAwaitCodeFixProvider : CodeFixProvider
{
    /// <summary>The code action's title.</summary>
    public const string Title = "Remove ConfigureAwait(false)";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ConfigureAwaitFalseOnLoop.Id);

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || call.Expression is not MemberAccessExpressionSyntax access
                || call.ArgumentList.Arguments.Count != 1)
            {
                continue;
            }

            var value = model.GetConstantValue(call.ArgumentList.Arguments[0].Expression, context.CancellationToken);
            if (!value.HasValue || !(value.Value is false || value.Value is 0))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    _ =>
                    {
                        var replacement = access.Expression.WithoutTrailingTrivia().WithTrailingTrivia(call.GetTrailingTrivia());
                        return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(call, replacement)));
                    },
                    equivalenceKey: nameof(RemoveConfigureAwaitCodeFixProvider)),
                diagnostic);
        }
    }
}
