using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Workers;

/// <summary>
/// SAKE0018: a worker handler takes a parameter tied to the connection (a stream, a pipe, a socket, a reader or
/// writer, a WebSocket). The request crosses into the pool as a JSON snapshot; nothing live comes with it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerConnectionBoundParameterAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] ConnectionBoundTypeNames =
    {
        "System.IO.Stream",
        "System.IO.TextReader",
        "System.IO.TextWriter",
        "System.IO.Pipelines.PipeReader",
        "System.IO.Pipelines.PipeWriter",
        "System.IO.Pipelines.IDuplexPipe",
        "System.Net.Sockets.Socket",
        "System.Net.Sockets.NetworkStream",
        "System.Net.WebSockets.WebSocket",
    };

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.WorkerConnectionBoundParameter);

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

            var bound = new List<INamedTypeSymbol>();
            foreach (var name in ConnectionBoundTypeNames)
            {
                if (start.Compilation.GetTypeByMetadataName(name) is { } type)
                {
                    bound.Add(type);
                }
            }

            // [Worker] handler methods: the parameter itself is the location.
            start.RegisterSymbolAction(
                symbol =>
                {
                    var method = (IMethodSymbol)symbol.Symbol;
                    if (!RouteHandlers.IsAttributeHandler(method, types, out var mode) || mode != ExecutionMode.Worker)
                    {
                        return;
                    }

                    foreach (var parameter in method.Parameters)
                    {
                        if (BoundTypeOf(parameter.Type, bound) is not null && parameter.Locations.Length > 0)
                        {
                            symbol.ReportDiagnostic(Create(parameter.Locations[0], parameter, method.Name, parameter.Type));
                        }
                    }
                },
                SymbolKind.Method);

            // .Worker() routes: a lambda's parameter, or the method group (whose method may be declared elsewhere).
            start.RegisterOperationAction(
                operation =>
                {
                    var call = (IInvocationOperation)operation.Operation;
                    if (!WorkerHandlers.IsWorkerRoute(call, types, out var handler, out var pattern))
                    {
                        return;
                    }

                    string name = WorkerHandlers.NameOf(call, handler, pattern);
                    switch (handler)
                    {
                        case IAnonymousFunctionOperation lambda:
                            foreach (var parameter in lambda.Symbol.Parameters)
                            {
                                if (BoundTypeOf(parameter.Type, bound) is not null && parameter.Locations.Length > 0)
                                {
                                    operation.ReportDiagnostic(Create(parameter.Locations[0], parameter, name, parameter.Type));
                                }
                            }

                            break;
                        case IMethodReferenceOperation reference:
                            // A [Worker] method registered fluently is reported by the symbol action already.
                            if (RouteHandlers.IsAttributeHandler(reference.Method, types, out var mode) && mode == ExecutionMode.Worker)
                            {
                                break;
                            }

                            foreach (var parameter in reference.Method.Parameters)
                            {
                                if (BoundTypeOf(parameter.Type, bound) is not null)
                                {
                                    operation.ReportDiagnostic(Create(reference.Syntax.GetLocation(), parameter, name, parameter.Type));
                                }
                            }

                            break;
                    }
                },
                OperationKind.Invocation);
        });
    }

    private static Diagnostic Create(Location location, IParameterSymbol parameter, string handler, ITypeSymbol type) =>
        Diagnostic.Create(
            DiagnosticDescriptors.WorkerConnectionBoundParameter,
            location,
            parameter.Name,
            handler,
            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));

    /// <summary>The connection-bound type <paramref name="type"/> is, derives from or implements, or null.</summary>
    private static INamedTypeSymbol? BoundTypeOf(ITypeSymbol type, List<INamedTypeSymbol> bound)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var b in bound)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, b))
                {
                    return b;
                }
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            foreach (var b in bound)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, b))
                {
                    return b;
                }
            }
        }

        return null;
    }
}
