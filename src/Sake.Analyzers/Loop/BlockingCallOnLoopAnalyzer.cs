using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Loop;

/// <summary>
/// SAKE0021: a blocking call (<c>Thread.Sleep</c>, <c>task.Result</c>, synchronous file or socket I/O…) in code
/// that runs on the event loop thread. Every loop request shares that one thread, so one wait stalls them all.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallOnLoopAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.BlockingCallOnLoop);

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

            var apis = BlockingApis.From(start.Compilation);
            start.RegisterOperationBlockStartAction(block =>
            {
                // Whether the member's own body is loop code is decided once; lambdas inside it are decided per call.
                bool ownerIsLoop = LoopCode.IsLoopMember(block.OwningSymbol, types);
                block.RegisterOperationAction(
                    operation =>
                    {
                        var call = (IInvocationOperation)operation.Operation;
                        if (apis.IsBlocking(call) && LoopCode.IsOnLoop(call, ownerIsLoop, types))
                        {
                            Report(operation, call.Syntax);
                        }
                    },
                    OperationKind.Invocation);
                block.RegisterOperationAction(
                    operation =>
                    {
                        var reference = (IPropertyReferenceOperation)operation.Operation;
                        if (apis.IsBlocking(reference) && LoopCode.IsOnLoop(reference, ownerIsLoop, types))
                        {
                            Report(operation, reference.Syntax);
                        }
                    },
                    OperationKind.PropertyReference);
            });
        });
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax)
    {
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallOnLoop, syntax.GetLocation(), syntax.ToString()));
    }
}
