using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Loop;

/// <summary>
/// SAKE0022: <c>ConfigureAwait(false)</c> (or <c>ConfigureAwait(ConfigureAwaitOptions)</c> without
/// <c>ContinueOnCapturedContext</c>) in code that runs on the event loop: the rest of the handler would resume on a
/// thread-pool thread, next to the loop, and race with it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigureAwaitFalseOnLoopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>ConfigureAwaitOptions.ContinueOnCapturedContext.</summary>
    private const int ContinueOnCapturedContext = 1;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ConfigureAwaitFalseOnLoop);

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

            start.RegisterOperationBlockStartAction(block =>
            {
                bool ownerIsLoop = LoopCode.IsLoopMember(block.OwningSymbol, types);
                block.RegisterOperationAction(
                    operation =>
                    {
                        var call = (IInvocationOperation)operation.Operation;
                        if (LeavesTheLoop(call) && LoopCode.IsOnLoop(call, ownerIsLoop, types))
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConfigureAwaitFalseOnLoop, call.Syntax.GetLocation()));
                        }
                    },
                    OperationKind.Invocation);
            });
        });
    }

    /// <summary>
    /// A ConfigureAwait of System.Threading.Tasks (Task, ValueTask, their generic forms, and the IAsyncEnumerable /
    /// IAsyncDisposable extensions) whose argument is a constant that does not continue on the captured context.
    /// A non-constant argument is left alone: its value is not known here.
    /// </summary>
    internal static bool LeavesTheLoop(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.Name != "ConfigureAwait"
            || method.ContainingType?.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
        {
            return false;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal != (method.IsExtensionMethod ? 1 : 0))
            {
                continue;
            }

            var value = argument.Value.ConstantValue;
            if (!value.HasValue)
            {
                return false;
            }

            return value.Value switch
            {
                bool b => !b,
                int options => (options & ContinueOnCapturedContext) == 0,
                _ => false,
            };
        }

        return false;
    }
}
