using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;
using Sake.Generators.Diagnostics;
using Sake.Generators.Parsing;

namespace Sake.Analyzers.Routing;

/// <summary>
/// SAKE0003 for the registrations the generator does not see: a constant pattern passed to a <c>RequestHandler</c> /
/// <c>Action&lt;Context&gt;</c> overload of <c>app.Get/Post/…</c> or to <c>Map</c>, a constant <c>Group</c> prefix, or a
/// constant <c>Map</c> method, that the runtime would reject at startup. Attribute routes and the intercepted
/// <c>Delegate</c> overloads are the generator's to report.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidRoutePatternAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidRoute);

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

            start.RegisterOperationAction(operation => Analyze(operation, types), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, SakeTypes types)
    {
        if (RoutePatterns.Unchecked((IInvocationOperation)context.Operation, types) is not { } call)
        {
            return;
        }

        var patternValue = call.Pattern.ConstantValue;
        string? pattern = patternValue.HasValue ? patternValue.Value as string : null;

        // The pattern's text for the message: its value when constant, else the expression as written.
        string shown = patternValue.HasValue ? pattern ?? "null" : call.Pattern.Syntax.ToString();
        if (call.Method?.ConstantValue is { HasValue: true } methodValue)
        {
            string? problem = methodValue.Value is string method
                ? RoutePatterns.IsRoutableMethod(method) ? null : $"'{method}' is not a routable method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS; exact, upper case)"
                : "the method must not be null";
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRoute, call.Method.Syntax.GetLocation(), shown, call.Declarer, problem));
            }
        }

        if (!patternValue.HasValue)
        {
            // Not a constant: SAKE0016 says so; only the runtime can check it.
            return;
        }

        string? patternProblem = pattern is null
            ? (call.IsPrefix ? "the prefix must not be null" : "the pattern must not be null")
            : call.IsPrefix ? RoutePatterns.ValidatePrefix(pattern) : RouteTemplate.Validate(pattern);
        if (patternProblem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRoute, call.Pattern.Syntax.GetLocation(), shown, call.Declarer, patternProblem));
        }
    }
}
