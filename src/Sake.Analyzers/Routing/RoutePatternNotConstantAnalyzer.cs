using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Routing;

/// <summary>
/// SAKE0016: a pattern or group prefix that is not a compile-time constant, passed to a <c>RequestHandler</c> /
/// <c>Action&lt;Context&gt;</c> overload of <c>app.Get/Post/…</c>, to <c>Map</c> or to <c>Group</c>. Nothing checks it
/// before startup and the generated route table cannot hold it. The <c>Delegate</c> overloads are left to the generator,
/// which cannot intercept such a call and reports SAKE0009.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RoutePatternNotConstantAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.RoutePatternNotConstant);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = SakeTypes.From(start.Compilation);
            if (!types.Available)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    // Half-typed code (an argument that does not bind) is the compiler's to report.
                    if (RoutePatterns.Unchecked((IInvocationOperation)operation.Operation, types) is { } call
                        && !call.Pattern.ConstantValue.HasValue
                        && RouteHandlers.Unwrap(call.Pattern) is not IInvalidOperation)
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RoutePatternNotConstant, call.Pattern.Syntax.GetLocation()));
                    }
                },
                OperationKind.Invocation);
        });
    }
}
