using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;

namespace Sake.Analyzers.Workers;

/// <summary>
/// SAKE0020: [Use] middleware of a [Worker] handler stores a value in <c>Context.Items</c> that cannot cross into the
/// worker pool (only string, bool, int, long, double, decimal and null can: WorkerCodec), and the handler reads Items,
/// so it evidently expects the value. At run time every such request fails with a boundary error.
/// </summary>
/// <remarks>
/// Middleware is usually declared elsewhere (another type, another file), so stores and handlers are collected while
/// the compilation is analyzed and matched at its end.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerItemsCannotCrossAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.WorkerItemsCannotCross);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = SakeTypes.From(start.Compilation);
            if (!types.Available || types.UseAttribute is null)
            {
                return;
            }

            var items = FindItems(types.Context!);
            if (items is null)
            {
                return;
            }

            // Per compilation: method → the non-crossing values it stores; [Worker] handler → its first Items read.
            var stores = new ConcurrentDictionary<IMethodSymbol, ConcurrentQueue<(ITypeSymbol Type, Location Location)>>(SymbolEqualityComparer.Default);
            var readers = new ConcurrentDictionary<IMethodSymbol, Location>(SymbolEqualityComparer.Default);

            start.RegisterOperationAction(
                operation =>
                {
                    var reference = (IPropertyReferenceOperation)operation.Operation;
                    if (!SymbolEqualityComparer.Default.Equals(reference.Property, items)
                        || operation.ContainingSymbol is not IMethodSymbol method)
                    {
                        return;
                    }

                    if (StoredValue(reference) is { } value)
                    {
                        if (CannotCross(value))
                        {
                            stores.GetOrAdd(method, _ => new ConcurrentQueue<(ITypeSymbol, Location)>()).Enqueue((value.Type!, value.Syntax.GetLocation()));
                        }
                    }
                    else if (RouteHandlers.IsAttributeHandler(method, types, out var mode) && mode == ExecutionMode.Worker)
                    {
                        // The earliest read in the file is kept, so the reported location does not depend on ordering.
                        var location = reference.Syntax.GetLocation();
                        readers.AddOrUpdate(method, location, (_, old) => old.SourceSpan.Start <= location.SourceSpan.Start ? old : location);
                    }
                },
                OperationKind.PropertyReference);

            start.RegisterCompilationEndAction(end =>
            {
                foreach (var reader in readers)
                {
                    var handler = reader.Key;
                    foreach (var middleware in MiddlewareOf(handler, types))
                    {
                        if (!stores.TryGetValue(middleware, out var stored))
                        {
                            continue;
                        }

                        var reported = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
                        foreach (var (type, location) in stored)
                        {
                            if (reported.Add(type))
                            {
                                end.ReportDiagnostic(Diagnostic.Create(
                                    DiagnosticDescriptors.WorkerItemsCannotCross,
                                    reader.Value,
                                    new[] { location },
                                    middleware.ContainingType.Name + "." + middleware.Name,
                                    type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                                    handler.Name));
                            }
                        }
                    }
                }
            });
        });
    }

    private static IPropertySymbol? FindItems(INamedTypeSymbol context)
    {
        foreach (var member in context.GetMembers("Items"))
        {
            if (member is IPropertySymbol property)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>
    /// The value stored into Items by <c>ctx.Items[key] = value</c>, <c>ctx.Items.Add(key, value)</c> or
    /// <c>ctx.Items.TryAdd(key, value)</c>, without its conversion to object; null when Items is used otherwise.
    /// </summary>
    private static IOperation? StoredValue(IPropertyReferenceOperation items)
    {
        switch (items.Parent)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer
                when indexer.Instance == items
                    && indexer.Parent is ISimpleAssignmentOperation assignment
                    && assignment.Target == indexer:
                return Stripped(assignment.Value);
            case IInvocationOperation { TargetMethod.Name: "Add" } add when add.Instance == items && add.Arguments.Length == 2:
                return Stripped(ValueArgument(add));
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "TryAdd", IsExtensionMethod: true } } tryAdd }
                when tryAdd.Arguments.Length == 3:
                return Stripped(ValueArgument(tryAdd));
            default:
                return null;
        }
    }

    private static IOperation ValueArgument(IInvocationOperation call) => call.Arguments[call.Arguments.Length - 1].Value;

    private static IOperation Stripped(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>
    /// True when <paramref name="value"/> certainly is not a JSON primitive once boxed. A value typed object, an
    /// interface, a type parameter or dynamic may hold a primitive (unless it is created right there), and a null
    /// literal has no type: not reported.
    /// </summary>
    private static bool CannotCross(IOperation value)
    {
        var type = value.Type;
        if (type is null || type.TypeKind is TypeKind.Error)
        {
            return false;
        }

        bool created = value is IObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation;
        if (!created && (type.TypeKind is TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Dynamic
            || type.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType))
        {
            return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// The declaring type and method name of a [Use] attribute: <c>(name)</c> names a method of
    /// <paramref name="handlerType"/>, <c>(type, name)</c> one of <c>type</c>. False for an attribute that does not
    /// bind to either constructor (no arguments, wrong types, an array or error constant): the compiler reports those,
    /// and the analyzer must not fail on them (ConstructorArguments is then empty or holds Error constants, and
    /// TypedConstant.Value throws for arrays).
    /// </summary>
    private static bool TryReadUse(AttributeData attribute, INamedTypeSymbol handlerType, out INamedTypeSymbol declaring, out string name)
    {
        declaring = handlerType;
        name = string.Empty;
        var args = attribute.ConstructorArguments;
        if (attribute.AttributeConstructor is null || args.Length is not (1 or 2))
        {
            return false;
        }

        var last = args[args.Length - 1];
        if (last.Kind != TypedConstantKind.Primitive || last.Value is not string method)
        {
            return false;
        }

        if (args.Length == 2)
        {
            if (args[0].Kind != TypedConstantKind.Type || args[0].Value is not INamedTypeSymbol type)
            {
                return false;
            }

            declaring = type;
        }

        name = method;
        return true;
    }

    /// <summary>The [Use] middleware methods of a handler: its class's, then its own.</summary>
    private static IEnumerable<IMethodSymbol> MiddlewareOf(IMethodSymbol handler, SakeTypes types)
    {
        foreach (var owner in new ISymbol[] { handler.ContainingType, handler })
        {
            foreach (var attribute in owner.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.UseAttribute))
                {
                    continue;
                }

                if (!TryReadUse(attribute, handler.ContainingType, out var declaring, out var name))
                {
                    continue;
                }

                foreach (var member in declaring.GetMembers(name))
                {
                    if (member is IMethodSymbol { IsStatic: true, Parameters.Length: 1 } method
                        && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, types.Context))
                    {
                        yield return method;
                    }
                }
            }
        }
    }
}
