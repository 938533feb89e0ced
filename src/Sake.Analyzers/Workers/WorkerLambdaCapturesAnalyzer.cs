using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Workers;

/// <summary>
/// SAKE0017: the handler of a <c>.Worker()</c> route captures locals, parameters or <c>this</c>. Only the request
/// crosses into the pool; the delegate is called on whichever worker thread takes the request, so captured state is
/// shared between threads (and with the loop) without synchronization.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerLambdaCapturesAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.WorkerLambdaCaptures);

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
                    if (!WorkerHandlers.IsWorkerRoute(call, types, out var handler, out _))
                    {
                        return;
                    }

                    var captured = handler switch
                    {
                        IAnonymousFunctionOperation lambda => CapturesOf(lambda),
                        IMethodReferenceOperation { Method.IsStatic: false, Instance: { } instance } => new List<string> { Describe(instance) },
                        _ => null,
                    };

                    if (captured is { Count: > 0 })
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WorkerLambdaCaptures, handler.Syntax.GetLocation(), Join(captured)));
                    }
                },
                OperationKind.Invocation);
        });
    }

    /// <summary>The names the lambda captures, in order of first use: outer locals and parameters, and 'this'.</summary>
    private static List<string> CapturesOf(IAnonymousFunctionOperation lambda)
    {
        var names = new List<string>();
        if (lambda.Symbol.IsStatic)
        {
            // The compiler already forbids captures in static lambdas.
            return names;
        }

        var span = lambda.Syntax.Span;
        foreach (var op in lambda.Body.Descendants())
        {
            string? name = op switch
            {
                ILocalReferenceOperation local when !local.Local.IsConst && DeclaredOutside(local.Local, span) => local.Local.Name,
                IParameterReferenceOperation parameter when DeclaredOutside(parameter.Parameter, span) => parameter.Parameter.Name,
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => "this",
                _ => null,
            };

            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    // A variable is captured when it is declared outside the lambda (nested lambdas' own locals are inside its span).
    private static bool DeclaredOutside(ISymbol symbol, TextSpan lambdaSpan)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource && lambdaSpan.Contains(location.SourceSpan))
            {
                return false;
            }
        }

        return true;
    }

    // An instance method group's delegate targets the receiver: 'this' or the object named by the expression.
    private static string Describe(IOperation instance) =>
        instance is IInstanceReferenceOperation ? "this" : instance.Syntax.ToString();

    private static string Join(List<string> names)
    {
        var text = new StringBuilder();
        for (int i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                text.Append(i == names.Count - 1 ? " and " : ", ");
            }

            text.Append('\'').Append(names[i]).Append('\'');
        }

        return text.ToString();
    }
}
