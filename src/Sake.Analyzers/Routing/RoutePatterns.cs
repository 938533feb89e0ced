using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Sake.Analyzers.Infrastructure;

namespace Sake.Analyzers.Routing;

/// <summary>A route pattern or group prefix passed to a <c>RouteGroup</c> call that Sake's generator does not check.</summary>
internal sealed class PatternCall
{
    public PatternCall(IOperation pattern, IOperation? method, bool isPrefix, string declarer)
    {
        Pattern = pattern;
        Method = method;
        IsPrefix = isPrefix;
        Declarer = declarer;
    }

    /// <summary>The pattern (or prefix) argument's value.</summary>
    public IOperation Pattern { get; }

    /// <summary>The HTTP method argument of <c>Map(method, pattern, handler)</c>; null for the other calls.</summary>
    public IOperation? Method { get; }

    /// <summary>True for <c>Group(prefix, …)</c>.</summary>
    public bool IsPrefix { get; }

    /// <summary>What declares the route, for messages: <c>app.Get</c>, <c>api.Group</c>, or the bare method name.</summary>
    public string Declarer { get; }
}

/// <summary>
/// Route patterns as the analyzers see them: the <c>RouteGroup</c> calls whose pattern only the runtime checks, and the
/// parameters a (valid) pattern declares.
/// </summary>
internal static class RoutePatterns
{
    /// <summary>The verbs with <c>RequestHandler</c> / <c>Action&lt;Context&gt;</c> overloads.</summary>
    private static readonly HashSet<string> Verbs = new() { "Get", "Post", "Put", "Delete", "Patch", "Head", "Options" };

    /// <summary>The methods <c>RouteGroup.Map</c> accepts: exact and case-sensitive, as RouteMethods.TryParse compares bytes.</summary>
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };

    /// <summary>True for a method <c>RouteGroup.Map(method, …)</c> accepts.</summary>
    public static bool IsRoutableMethod(string method) => Methods.Contains(method);

    /// <summary>
    /// The pattern of a <c>RouteGroup</c> call the generator does not see: a verb call that resolves to a
    /// <c>RequestHandler</c> or <c>Action&lt;Context&gt;</c> overload, <c>Map(method, pattern, handler)</c> or
    /// <c>Group(prefix, …)</c>. Null for the <c>Delegate</c> overloads: the generator intercepts those and reports
    /// their patterns itself, and a mistake is reported once, by one of them.
    /// </summary>
    public static PatternCall? Unchecked(IInvocationOperation call, SakeTypes types)
    {
        var target = call.TargetMethod;
        if (!SymbolEqualityComparer.Default.Equals(target.ContainingType, types.RouteGroup))
        {
            return null;
        }

        int patternOrdinal;
        int methodOrdinal = -1;
        bool isPrefix = false;
        if (target.Name == "Group" && target.Parameters.Length >= 1)
        {
            patternOrdinal = 0;
            isPrefix = true;
        }
        else if (target.Name == "Map" && target.Parameters.Length == 3)
        {
            methodOrdinal = 0;
            patternOrdinal = 1;
        }
        else if (Verbs.Contains(target.Name) && target.Parameters.Length == 2 && target.Parameters[1].Type.SpecialType != SpecialType.System_Delegate)
        {
            patternOrdinal = 0;
        }
        else
        {
            return null;
        }

        IOperation? pattern = null, method = null;
        foreach (var argument in call.Arguments)
        {
            // Matched by parameter, so named arguments in any order are handled.
            if (argument.Parameter?.Ordinal == patternOrdinal)
            {
                pattern = argument.Value;
            }
            else if (argument.Parameter?.Ordinal == methodOrdinal)
            {
                method = argument.Value;
            }
        }

        if (pattern is null)
        {
            return null;
        }

        // A receiver written as a plain name reads best in the message (app.Get); anything longer is left out.
        string declarer = call.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } }
            ? receiver.Identifier.ValueText + "." + target.Name
            : target.Name;
        return new PatternCall(pattern, method, isPrefix, declarer);
    }

    /// <summary>Null when <paramref name="prefix"/> is a valid group prefix (the rule of RouteGroup.Group, then a valid pattern).</summary>
    public static string? ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0 || prefix[0] != '/' || (prefix.Length > 1 && prefix[prefix.Length - 1] == '/'))
        {
            return "a group prefix must start with '/' and not end with '/'";
        }

        return Sake.Generators.Parsing.RouteTemplate.Validate(prefix);
    }

    /// <summary>
    /// The parameters of a pattern <c>RouteTemplate.Validate</c> accepts, in order: each name and its constraint
    /// (lower case; null for none, <c>*</c> for a catch-all).
    /// </summary>
    public static List<(string Name, string? Constraint)> Parameters(string pattern)
    {
        var result = new List<(string, string?)>();
        foreach (var segment in pattern.Split('/'))
        {
            if (segment.Length < 3 || segment[0] != '{' || segment[segment.Length - 1] != '}')
            {
                continue;
            }

            string inner = segment.Substring(1, segment.Length - 2);
            if (inner[0] == '*')
            {
                result.Add((inner.Substring(1), "*"));
                continue;
            }

            int colon = inner.IndexOf(':');
            result.Add(colon < 0 ? (inner, null) : (inner.Substring(0, colon), inner.Substring(colon + 1).ToLowerInvariant()));
        }

        return result;
    }

    /// <summary>The C# type a route value with <paramref name="constraint"/> parses into (string for none, alpha and catch-all).</summary>
    public static string TypeFor(string? constraint) => constraint switch
    {
        "int" => "int",
        "long" => "long",
        "bool" => "bool",
        "guid" => "System.Guid",
        "double" => "double",
        "decimal" => "decimal",
        "datetime" => "System.DateTime",
        _ => "string",
    };
}
