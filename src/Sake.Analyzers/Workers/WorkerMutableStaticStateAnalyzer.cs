using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Workers;

/// <summary>
/// SAKE0019: a worker handler reads or writes a mutable static (a field that is not readonly or const, a static
/// property it sets, or a static auto-property with a setter). Worker threads run handlers in parallel, so unlike on
/// the loop such state is a data race. Accesses under <c>lock</c> and through <c>Interlocked</c>/<c>Volatile</c>
/// are synchronized and left alone; nested lambdas are not the handler's own code and are not checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerMutableStaticStateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.WorkerMutableStaticState);

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

            var threadStatic = start.Compilation.GetTypeByMetadataName("System.ThreadStaticAttribute");
            var interlocked = start.Compilation.GetTypeByMetadataName("System.Threading.Interlocked");
            var volatileType = start.Compilation.GetTypeByMetadataName("System.Threading.Volatile");
            var checker = new Checker(threadStatic, interlocked, volatileType);

            // [Worker] handler methods.
            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method
                    || !RouteHandlers.IsAttributeHandler(method, types, out var mode)
                    || mode != ExecutionMode.Worker)
                {
                    return;
                }

                foreach (var root in block.OperationBlocks)
                {
                    checker.Check(root, method.Name, block.ReportDiagnostic);
                }
            });

            // .Worker() routes: the lambda's body, or a method group's method when its body is in the same file
            // (the one whose semantic model an operation action may use).
            start.RegisterOperationAction(
                operation =>
                {
                    var call = (IInvocationOperation)operation.Operation;
                    if (!WorkerHandlers.IsWorkerRoute(call, types, out var handler, out var pattern))
                    {
                        return;
                    }

                    string name = WorkerHandlers.NameOf(call, handler, pattern);
                    if (handler is IAnonymousFunctionOperation lambda)
                    {
                        checker.Check(lambda.Body, name, operation.ReportDiagnostic);
                        return;
                    }

                    if (handler is not IMethodReferenceOperation reference
                        || (RouteHandlers.IsAttributeHandler(reference.Method, types, out var mode) && mode == ExecutionMode.Worker))
                    {
                        return;
                    }

                    var model = call.SemanticModel;
                    foreach (var declaration in reference.Method.DeclaringSyntaxReferences)
                    {
                        if (model is not null && declaration.SyntaxTree == model.SyntaxTree
                            && model.GetOperation(declaration.GetSyntax(operation.CancellationToken), operation.CancellationToken) is { } body)
                        {
                            checker.Check(body, name, operation.ReportDiagnostic);
                        }
                    }
                },
                OperationKind.Invocation);
        });
    }

    private sealed class Checker
    {
        private readonly INamedTypeSymbol? _threadStatic;
        private readonly INamedTypeSymbol? _interlocked;
        private readonly INamedTypeSymbol? _volatile;

        public Checker(INamedTypeSymbol? threadStatic, INamedTypeSymbol? interlocked, INamedTypeSymbol? volatileType)
        {
            _threadStatic = threadStatic;
            _interlocked = interlocked;
            _volatile = volatileType;
        }

        /// <summary>Reports each mutable static <paramref name="root"/> uses once: at its first write, else its first read.</summary>
        public void Check(IOperation root, string handler, System.Action<Diagnostic> report)
        {
            var found = new Dictionary<ISymbol, (IOperation First, bool Writes)>(SymbolEqualityComparer.Default);
            var order = new List<ISymbol>();
            foreach (var op in WorkerHandlers.OwnOperations(root))
            {
                ISymbol? member;
                bool writes;
                switch (op)
                {
                    case IFieldReferenceOperation { Field: { IsStatic: true } field } when IsMutable(field):
                        member = field;
                        writes = IsWrite(op);
                        break;
                    case IPropertyReferenceOperation { Property: { IsStatic: true } property } when InSource(property):
                        member = property;
                        writes = IsWrite(op);
                        if (!writes && !IsAutoPropertyWithSetter(property))
                        {
                            continue;
                        }

                        break;
                    default:
                        continue;
                }

                if (Synchronized(op, root))
                {
                    continue;
                }

                if (!found.TryGetValue(member, out var seen))
                {
                    order.Add(member);
                    found[member] = (op, writes);
                }
                else if (writes && !seen.Writes)
                {
                    found[member] = (op, true);
                }
            }

            foreach (var member in order)
            {
                var (first, writes) = found[member];
                report(Diagnostic.Create(
                    DiagnosticDescriptors.WorkerMutableStaticState,
                    first.Syntax.GetLocation(),
                    handler,
                    writes ? "writes" : "reads",
                    member.ContainingType.Name + "." + member.Name));
            }
        }

        private bool IsMutable(IFieldSymbol field)
        {
            if (field.IsConst || field.IsReadOnly || !InSource(field))
            {
                return false;
            }

            // Each thread has its own [ThreadStatic] field: nothing is shared.
            return !field.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _threadStatic));
        }

        private static bool InSource(ISymbol symbol) => symbol.Locations.Any(l => l.IsInSource);

        private static bool IsAutoPropertyWithSetter(IPropertySymbol property)
        {
            if (property.SetMethod is null || property.SetMethod.IsInitOnly)
            {
                return false;
            }

            // An auto-property is the one a compiler-made backing field belongs to.
            return property.ContainingType.GetMembers().OfType<IFieldSymbol>()
                .Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
        }

        private static bool IsWrite(IOperation reference)
        {
            var current = reference;
            var parent = current.Parent;
            while (parent is IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            return parent switch
            {
                IAssignmentOperation assignment => assignment.Target == current,
                IIncrementOrDecrementOperation => true,
                IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                ITupleOperation tuple => tuple.Parent is IDeconstructionAssignmentOperation d && d.Target == tuple,
                _ => false,
            };
        }

        // Inside a lock, or handed by ref to Interlocked/Volatile: the user synchronized it.
        private bool Synchronized(IOperation reference, IOperation root)
        {
            if (reference.Parent is IArgumentOperation { Parent: IInvocationOperation call }
                && (SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _interlocked)
                    || SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _volatile)))
            {
                return true;
            }

            for (var current = reference.Parent; current is not null && current != root; current = current.Parent)
            {
                if (current is ILockOperation)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
