using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;
using Sake.Generators.Parsing;

namespace Sake.Analyzers.Routing;

/// <summary>
/// SAKE0007 for fluent registrations: two statements of one block register the same method and an equivalent constant
/// pattern on the same app or group variable. The generator reports the attribute-style conflicts; registrations in
/// different branches (<c>if (heavy) … else …</c>) or on different receivers are left to the runtime's startup check.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateFluentRouteAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.RouteConflict);

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

            start.RegisterOperationAction(operation => AnalyzeBlock((IBlockOperation)operation.Operation, types, operation.ReportDiagnostic), OperationKind.Block);
        });
    }

    private static void AnalyzeBlock(IBlockOperation block, SakeTypes types, System.Action<Diagnostic> report)
    {
        Dictionary<(ISymbol Receiver, string Key), Registration>? seen = null;
        foreach (var statement in block.Operations)
        {
            if (statement is not IExpressionStatementOperation expression
                || RouteHandlers.RouteCallOf(expression.Operation, types) is not { } call
                || !TryDescribe(call, types, out var receiver, out var method, out var pattern, out var patternOperation))
            {
                continue;
            }

            seen ??= new Dictionary<(ISymbol, string), Registration>(KeyComparer.Instance);
            var key = (receiver, RouteTemplate.ConflictKey(method, pattern));
            var current = new Registration(method, pattern, patternOperation, $"{receiver.Name}.{call.TargetMethod.Name}(\"{pattern}\") at line {call.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1}");
            if (!seen.TryGetValue(key, out var first))
            {
                seen.Add(key, current);
                continue;
            }

            // The runtime's startup wording, at both declarations, each naming the other.
            report(Diagnostic.Create(DiagnosticDescriptors.RouteConflict, current.PatternOperation.Syntax.GetLocation(), method, current.Pattern, first.Pattern, first.Declarer, current.Declarer));
            if (!first.Reported)
            {
                first.Reported = true;
                report(Diagnostic.Create(DiagnosticDescriptors.RouteConflict, first.PatternOperation.Syntax.GetLocation(), method, first.Pattern, current.Pattern, current.Declarer, first.Declarer));
            }
        }
    }

    private static bool TryDescribe(IInvocationOperation call, SakeTypes types, out ISymbol receiver, out string method, out string pattern, out IOperation patternOperation)
    {
        receiver = null!;
        method = "";
        pattern = "";
        patternOperation = null!;
        ISymbol? symbol = (call.Instance is null ? null : RouteHandlers.Unwrap(call.Instance)) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
        if (symbol is null || !RouteHandlers.IsRouteCall(call, types, out _, out var patternArgument))
        {
            return false;
        }

        if (call.TargetMethod.Name == "Map")
        {
            IOperation? methodArgument = null;
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    methodArgument = argument.Value;
                }
            }

            if (methodArgument?.ConstantValue is not { HasValue: true, Value: string m })
            {
                return false;
            }

            method = m;
        }
        else
        {
            method = call.TargetMethod.Name.ToUpperInvariant();
        }

        if (patternArgument.ConstantValue is not { HasValue: true, Value: string p } || RouteTemplate.Validate(p) is not null)
        {
            return false;
        }

        receiver = symbol;
        pattern = p;
        patternOperation = patternArgument;
        return true;
    }

    private sealed class Registration
    {
        public Registration(string method, string pattern, IOperation patternOperation, string declarer)
        {
            Method = method;
            Pattern = pattern;
            PatternOperation = patternOperation;
            Declarer = declarer;
        }

        public string Method { get; }

        public string Pattern { get; }

        public IOperation PatternOperation { get; }

        public string Declarer { get; }

        public bool Reported { get; set; }
    }

    private sealed class KeyComparer : IEqualityComparer<(ISymbol Receiver, string Key)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((ISymbol Receiver, string Key) x, (ISymbol Receiver, string Key) y) =>
            SymbolEqualityComparer.Default.Equals(x.Receiver, y.Receiver) && x.Key == y.Key;

        public int GetHashCode((ISymbol Receiver, string Key) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Receiver) * 31 + obj.Key.GetHashCode();
    }
}
