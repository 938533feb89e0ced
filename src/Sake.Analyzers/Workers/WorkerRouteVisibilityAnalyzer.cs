using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Workers;

/// <summary>
/// SAKE0023: <c>.Worker()</c> on a builder that is not chained onto its route call. The worker and loop checks decide
/// where a fluent handler runs from the chain; a builder kept in a variable or chosen by a conditional hides that.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerRouteVisibilityAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.WorkerRouteNotVisible);

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
                    var call = (IInvocationOperation)operation.Operation;
                    if (call.TargetMethod.Name == "Worker"
                        && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.RouteBuilder)
                        && RouteHandlers.RouteCallOf(call.Instance, types) is null)
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WorkerRouteNotVisible, call.Syntax.GetLocation()));
                    }
                },
                OperationKind.Invocation);
        });
    }
}
