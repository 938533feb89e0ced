using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
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
                        IAnonymousFunctionOperation lambda => CapturesOf(lambda, operation.CancellationToken),
                        IMethodReferenceOperation reference => CapturesOf(reference, operation.ContainingSymbol, operation.CancellationToken),
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
    private static List<string> CapturesOf(IAnonymousFunctionOperation lambda, CancellationToken cancellation)
    {
        var names = new List<string>();
        if (lambda.Symbol.IsStatic)
        {
            // The compiler already forbids captures in static lambdas.
            return names;
        }

        AddCaptures(lambda.Body, lambda.Syntax.Span, lambda.SemanticModel, names, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellation);
        return names;
    }

    /// <summary>
    /// What the delegate made from a method group holds on to. A local function captures exactly what its body
    /// (and the local functions it calls) uses from outside, however it is declared: not being marked static does not
    /// make it capture 'this'. An instance method targets its receiver: the object an explicit receiver names, or
    /// 'this', which exists only when the route is registered from an instance member.
    /// </summary>
    private static List<string> CapturesOf(IMethodReferenceOperation reference, ISymbol containing, CancellationToken cancellation)
    {
        var names = new List<string>();
        var method = reference.Method;
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            AddLocalFunctionCaptures(method, reference.SemanticModel, names, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellation);
            return names;
        }

        if (method.IsStatic || reference.Instance is not { } instance)
        {
            return names;
        }

        if (instance is IInstanceReferenceOperation && containing.IsStatic)
        {
            // No 'this' to capture in a static context (the compiler reports an instance method used there).
            return names;
        }

        names.Add(Describe(instance));
        return names;
    }

    /// <summary>
    /// Adds what the operations under <paramref name="body"/> use from outside <paramref name="span"/>: locals and
    /// parameters declared outside it, 'this', and, through the local functions declared outside it that it calls or
    /// makes delegates of, whatever those capture (calling a capturing local function uses its captured variables).
    /// </summary>
    private static void AddCaptures(IOperation body, TextSpan span, SemanticModel? model, List<string> names, HashSet<IMethodSymbol> visited, CancellationToken cancellation)
    {
        foreach (var op in body.Descendants())
        {
            string? name = null;
            switch (op)
            {
                case ILocalReferenceOperation local when !local.Local.IsConst && DeclaredOutside(local.Local, span):
                    name = local.Local.Name;
                    break;
                case IParameterReferenceOperation parameter when DeclaredOutside(parameter.Parameter, span):
                    name = parameter.Parameter.Name;
                    break;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } when !IsLocalFunctionReceiver(op):
                    name = "this";
                    break;
                case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } target } when DeclaredOutside(target, span):
                    AddLocalFunctionCaptures(target, model, names, visited, cancellation);
                    break;
                case IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } target } when DeclaredOutside(target, span):
                    AddLocalFunctionCaptures(target, model, names, visited, cancellation);
                    break;
            }

            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }
        }
    }

    // Roslyn may give a local function's method group or call an implicit 'this' receiver even in a static context;
    // a local function is not invoked on 'this', so that receiver captures nothing (its body's own uses are walked).
    private static bool IsLocalFunctionReceiver(IOperation instance) =>
        instance.IsImplicit
        && instance.Parent is IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction }
            or IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction };

    /// <summary>Adds what a local function captures (once per function: local functions may call each other).</summary>
    private static void AddLocalFunctionCaptures(IMethodSymbol localFunction, SemanticModel? model, List<string> names, HashSet<IMethodSymbol> visited, CancellationToken cancellation)
    {
        localFunction = localFunction.OriginalDefinition;
        if (localFunction.IsStatic || model is null || !visited.Add(localFunction))
        {
            // A static local function cannot capture anything.
            return;
        }

        // A local function is declared in the member that uses it, so in the tree of the operation's semantic model.
        foreach (var declaration in localFunction.DeclaringSyntaxReferences)
        {
            if (declaration.SyntaxTree == model.SyntaxTree && model.GetOperation(declaration.GetSyntax(cancellation), cancellation) is { } operation)
            {
                AddCaptures(operation, declaration.Span, model, names, visited, cancellation);
            }
        }
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
