using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sake.Generators.Diagnostics;
using Sake.Generators.Model;

namespace Sake.Generators.Parsing;

/// <summary>Turns one attributed handler method into a <see cref="HandlerParseResult"/>: symbols in, plain data out.</summary>
internal static class HandlerParser
{
    /// <summary>The route attributes, in the order that decides which pipeline owns a method carrying several.</summary>
    public static readonly string[] AttributeNames =
    [
        "Sake.RouteAttribute",
        "Sake.GetAttribute",
        "Sake.PostAttribute",
        "Sake.PutAttribute",
        "Sake.DeleteAttribute",
        "Sake.PatchAttribute",
    ];

    private static readonly string?[] Verbs = [null, "GET", "POST", "PUT", "DELETE", "PATCH"];

    private static readonly HashSet<string> RoutableMethods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The key that matches a payload type to a context's <c>[JsonSerializable]</c> entry: fully qualified, tuples as
    /// ValueTuple (element names are not part of the type, and <c>typeof((int A, string B))</c> is not C#).
    /// </summary>
    public static readonly SymbolDisplayFormat JsonTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.ExpandValueTuple);

    public static HandlerParseResult? Parse(GeneratorAttributeSyntaxContext context, int pipeline, CancellationToken ct)
    {
        if (context.TargetSymbol is not IMethodSymbol method)
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var routes = new List<RouteModel>();
        int owner = int.MaxValue;
        foreach (var attribute in method.GetAttributes())
        {
            int index = Array.IndexOf(AttributeNames, attribute.AttributeClass?.ToDisplayString());
            if (index < 0)
            {
                continue;
            }

            owner = Math.Min(owner, index);
            var location = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation();
            var args = attribute.ConstructorArguments;
            string? verb = index == 0 ? (args.Length > 0 ? args[0].Value as string : null) : Verbs[index];
            string? pattern = index == 0 ? (args.Length > 1 ? args[1].Value as string : null) : (args.Length > 0 ? args[0].Value as string : null);
            if (verb is null || pattern is null)
            {
                // Missing arguments mean half-typed code (the compiler reports it); an explicit null is ours to report.
                bool explicitNull = false;
                foreach (var a in args)
                {
                    explicitNull |= a.IsNull;
                }

                if (explicitNull)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRoute, location, pattern ?? "null", method.Name, "the method and the pattern must not be null"));
                }

                continue;
            }

            verb = verb.ToUpperInvariant();
            string? problem = !RoutableMethods.Contains(verb)
                ? $"'{verb}' is not a routable method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)"
                : RouteTemplate.Validate(pattern);
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRoute, location, pattern, method.Name, problem));
                continue;
            }

            routes.Add(new RouteModel(verb, pattern));
        }

        // Only the pipeline of the method's first route attribute reports it, so a method with [Get] and [Post] is
        // parsed once.
        if (owner != pipeline)
        {
            return null;
        }

        var methodLocation = method.Locations.FirstOrDefault();
        var type = method.ContainingType;
        var classModel = ParseClass(type, diagnostics, ct);
        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerMustBeStatic, methodLocation, method.Name));
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRoute, methodLocation, routes.Count > 0 ? routes[0].Pattern : "", method.Name, "a generic method cannot be a handler"));
        }

        var middleware = new List<string>();
        ParseMiddleware(type, type, middleware, diagnostics, ct);
        ParseMiddleware(method, type, middleware, diagnostics, ct);
        var jsonUsages = new List<JsonUsage>();
        var parameters = ParseParameters(method, method.Name, routes, diagnostics, jsonUsages, out bool bodyAwaits, worker: HasWorkerAttribute(method));
        var result = ParseResult(method, method.Name, method.Locations.FirstOrDefault(), diagnostics, jsonUsages, out string? resultType, out bool resultAwaits);

        bool ok = classModel is not null && parameters is not null && result is not null && routes.Count > 0
            && method.IsStatic && !method.IsGenericMethod && diagnostics.Count == 0;
        HandlerModel? handler = ok
            ? new HandlerModel(
                method.Name,
                new EquatableArray<RouteModel>(routes.ToArray()),
                new EquatableArray<ParameterModel>(parameters!.ToArray()),
                result!.Value,
                resultType,
                bodyAwaits || resultAwaits,
                resultAwaits,
                method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Sake.WorkerAttribute"),
                new EquatableArray<string>(middleware.ToArray()))
            : null;

        return new HandlerParseResult(
            ok ? classModel : null,
            handler,
            new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()),
            new EquatableArray<JsonUsage>(jsonUsages.ToArray()),
            LocationInfo.From(methodLocation));
    }

    private static HandlerClassModel? ParseClass(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var containing = new List<ContainingTypeModel>();
        bool allPartial = true;
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            allPartial &= IsPartial(t, ct);
            containing.Insert(0, new ContainingTypeModel(Keyword(t), t.Name));
        }

        allPartial &= IsPartial(type, ct);
        if (!allPartial)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassMustBePartial, type.Locations.FirstOrDefault(), type.Name));
            return null;
        }

        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerClassGeneric, type.Locations.FirstOrDefault(), type.Name, t.ToDisplayString()));
                return null;
            }
        }

        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal || t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerClassNotAccessible, type.Locations.FirstOrDefault(), type.Name, t.Name));
                return null;
            }
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n
            ? n.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "")
            : null;
        string fqn = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string hint = fqn.Replace("global::", "").Replace("@", "").Replace('<', '[').Replace('>', ']');
        bool isPublic = true;
        for (var t = type; t is not null; t = t.ContainingType)
        {
            isPublic &= t.DeclaredAccessibility == Accessibility.Public;
        }

        return new HandlerClassModel(
            ns,
            type.Name,
            Keyword(type),
            fqn,
            hint,
            isPublic ? "public" : "internal",
            new EquatableArray<ContainingTypeModel>(containing.ToArray()),
            EquatableArray<HandlerModel>.Empty);
    }

    /// <summary>The <c>[Use]</c> attributes on <paramref name="owner"/> as method references generated code can name.</summary>
    private static void ParseMiddleware(ISymbol owner, INamedTypeSymbol handlerClass, List<string> into, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        foreach (var attribute in owner.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != "Sake.UseAttribute")
            {
                continue;
            }

            var args = attribute.ConstructorArguments;
            var declaring = args.Length == 2 ? args[0].Value as INamedTypeSymbol : handlerClass;
            string? name = args.Length == 2 ? args[1].Value as string : args.Length == 1 ? args[0].Value as string : null;
            if (declaring is null || name is null)
            {
                continue; // half-typed: the compiler reports it
            }

            IMethodSymbol? found = null;
            foreach (var member in declaring.GetMembers(name))
            {
                // Private methods of the handler class are fine: the registration is generated inside it.
                if (member is IMethodSymbol { IsStatic: true, IsGenericMethod: false, Parameters.Length: 1 } m
                    && m.Parameters[0].Type.ToDisplayString() == "Sake.Context"
                    && m.ReturnType.ToDisplayString() == "System.Threading.Tasks.ValueTask"
                    && (SymbolEqualityComparer.Default.Equals(m.ContainingType, handlerClass)
                        || m.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                {
                    found = (IMethodSymbol)member;
                    break;
                }
            }

            if (found is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidMiddleware,
                    attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation(),
                    name,
                    declaring.ToDisplayString()));
                continue;
            }

            into.Add(declaring.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Emit.BindingEmitter.Id(found.Name));
        }
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken ct)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    /// <summary>Binding for each parameter of <paramref name="method"/> (a handler method or a lambda); null after a diagnostic.</summary>
    /// <summary>Types tied to the connection or the live response: on a worker handler the analyzers report them (SAKE0018).</summary>
    private static readonly string[] ConnectionBoundTypes =
    {
        "System.IO.Stream", "System.IO.TextReader", "System.IO.TextWriter", "System.IO.Pipelines.PipeReader", "System.IO.Pipelines.PipeWriter",
        "System.IO.Pipelines.IDuplexPipe", "System.Net.Sockets.Socket", "System.Net.WebSockets.WebSocket",
    };

    public static List<ParameterModel>? ParseParameters(IMethodSymbol method, string name, List<RouteModel> routes, List<DiagnosticInfo> diagnostics, List<JsonUsage> jsonUsages, out bool awaits, bool worker = false)
    {
        awaits = false;
        var list = new List<ParameterModel>();
        bool failed = false;
        string? bodyParameter = null;
        var routeNames = RouteTemplate.CommonParameterNames(routes, out var partialNames);
        foreach (var p in method.Parameters)
        {
            var location = p.Locations.FirstOrDefault();
            string display = p.Type.ToDisplayString(TypeFormat);
            void Fail(string why)
            {
                // One ID per mistake: a connection-bound parameter of a worker handler is SAKE0018, the analyzers' report.
                if (!(worker && IsConnectionBound(p.Type)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnbindableParameter, location, p.Name, name, why));
                }

                failed = true;
            }

            if (p.RefKind != RefKind.None)
            {
                Fail("ref, out and in parameters cannot be bound");
                continue;
            }

            string typeName = p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();
            if (typeName == "System.Threading.CancellationToken?")
            {
                Fail("take a CancellationToken, not a CancellationToken?: every request has one");
                continue;
            }

            if (typeName == "Sake.Context")
            {
                list.Add(new ParameterModel(p.Name, display, display, BindingSource.Context, p.Name, ParseKind.None, false, null, false));
                continue;
            }

            if (typeName == "System.Threading.CancellationToken")
            {
                list.Add(new ParameterModel(p.Name, display, display, BindingSource.CancellationToken, p.Name, ParseKind.None, false, null, true));
                continue;
            }

            var fromRoute = FindAttribute(p, "Sake.FromRouteAttribute");
            var fromHeader = FindAttribute(p, "Sake.FromHeaderAttribute");
            var fromQuery = FindAttribute(p, "Sake.FromQueryAttribute");
            bool fromBody = FindAttribute(p, "Sake.FromBodyAttribute") is not null;
            BindingSource source;
            string key = p.Name;
            if (fromBody)
            {
                source = BindingSource.Body;
            }
            else if (fromHeader is not null)
            {
                source = BindingSource.Header;
                key = NamedString(fromHeader, "Name") ?? p.Name;
            }
            else if (fromQuery is not null)
            {
                source = BindingSource.Query;
                key = NamedString(fromQuery, "Name") ?? p.Name;
            }
            else if (fromRoute is not null)
            {
                // The reverse of SAKE0015: a parameter that must come from the route, and no route declares it.
                string wanted = NamedString(fromRoute, "Name") ?? p.Name;
                if (!routeNames.Contains(wanted))
                {
                    Fail(partialNames.Contains(wanted)
                        ? $"[FromRoute] names '{{{wanted}}}', which only some of the method's routes declare"
                        : $"[FromRoute] names '{{{wanted}}}', which its route does not declare");
                    continue;
                }

                source = BindingSource.Route;
                key = routeNames.First(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase));
            }
            else if (routeNames.Contains(p.Name))
            {
                source = BindingSource.Route;
                key = routeNames.First(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase));
            }
            else if (partialNames.Contains(p.Name))
            {
                Fail("it is a route parameter in some of the method's routes but not in all of them");
                continue;
            }
            else
            {
                source = IsText(p.Type) ? BindingSource.Query : BindingSource.Body;
            }

            if (source == BindingSource.Body)
            {
                if (bodyParameter is not null)
                {
                    Fail($"only one parameter can come from the request body, and '{bodyParameter}' already does");
                    continue;
                }

                bodyParameter = p.Name;
                awaits = true;
                // A nullable value type is read as its underlying type (the one a context lists); absent means null.
                var bodyType = p.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableBody
                    ? nullableBody.TypeArguments[0]
                    : p.Type;
                if (!IsBodyRaw(bodyType))
                {
                    if (!IsJsonCandidate(bodyType, out string? why))
                    {
                        Fail(why!);
                        continue;
                    }

                    jsonUsages.Add(new JsonUsage(JsonType(bodyType), $"Parameter '{p.Name}' of '{name}'", LocationInfo.From(location), JsonTypeGraph.Build(bodyType)));
                }

                bool optionalBody = p.NullableAnnotation == NullableAnnotation.Annotated || p.HasExplicitDefaultValue || !SymbolEqualityComparer.Default.Equals(bodyType, p.Type);
                list.Add(new ParameterModel(p.Name, display, JsonType(bodyType), BindingSource.Body, key, ParseKind.None, optionalBody, null, bodyType.IsValueType));
                continue;
            }

            var valueType = p.Type;
            bool optional = p.HasExplicitDefaultValue;
            if (valueType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                valueType = nullable.TypeArguments[0];
                optional = true;
            }
            else if (p.NullableAnnotation == NullableAnnotation.Annotated)
            {
                optional = true;
            }

            if (source == BindingSource.Route && optional && !p.HasExplicitDefaultValue)
            {
                // A matched route always has its values; a nullable route parameter is simply never null.
                optional = false;
            }

            ParseKind parse;
            if (valueType.SpecialType == SpecialType.System_String)
            {
                parse = ParseKind.None;
            }
            else if (valueType.TypeKind == TypeKind.Enum)
            {
                parse = ParseKind.Enum;
            }
            else if (IsParsable(valueType))
            {
                parse = ParseKind.Parsable;
            }
            else
            {
                Fail($"'{valueType.ToDisplayString()}' cannot be parsed from {Describe(source)}: use string, an enum, or a type that implements IParsable<T>");
                continue;
            }

            string? defaultValue = null;
            if (p.HasExplicitDefaultValue && !TryFormatDefault(p, out defaultValue))
            {
                Fail("its default value cannot be expressed in generated code");
                continue;
            }

            list.Add(new ParameterModel(
                p.Name,
                display,
                valueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                source,
                key,
                parse,
                optional,
                defaultValue,
                valueType.IsValueType,
                parse == ParseKind.Enum || (parse == ParseKind.Parsable && Implements(valueType, "System.ISpanParsable<TSelf>"))));
        }

        return failed ? null : list;
    }

    /// <summary>How <paramref name="method"/>'s result is written; null after a diagnostic.</summary>
    public static ResultKind? ParseResult(IMethodSymbol method, string name, Location? location, List<DiagnosticInfo> diagnostics, List<JsonUsage> jsonUsages, out string? resultType, out bool awaits)
    {
        resultType = null;
        awaits = false;
        ITypeSymbol type = method.ReturnType;
        string typeName = type.OriginalDefinition.ToDisplayString();
        if (method.ReturnsVoid)
        {
            // async void: the handler returns at its first await and the response goes out before it finishes.
            if (method.IsAsync)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, location, name, "async void"));
                return null;
            }

            return ResultKind.None;
        }

        if (typeName is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask")
        {
            awaits = true;
            return ResultKind.None;
        }

        if (typeName is "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>")
        {
            awaits = true;
            type = ((INamedTypeSymbol)type).TypeArguments[0];
        }

        if (type.ToDisplayString() == "Sake.Result")
        {
            return ResultKind.Result;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } resultOf && resultOf.OriginalDefinition.ToDisplayString() == "Sake.Result<T>")
        {
            var payload = resultOf.TypeArguments[0];
            if (!IsJsonCandidate(payload, out _))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, location, name, method.ReturnType.ToDisplayString()));
                return null;
            }

            resultType = JsonType(payload);
            jsonUsages.Add(new JsonUsage(resultType, $"The result of '{name}'", LocationInfo.From(location), JsonTypeGraph.Build(payload)));
            return ResultKind.JsonResult;
        }

        if (type.ToDisplayString() == "Sake.Context")
        {
            // ctx => ctx.Status(204): Context's fluent methods return it; the handler answered through it.
            return ResultKind.None;
        }

        resultType = type.ToDisplayString(TypeFormat);
        if (type.SpecialType == SpecialType.System_String)
        {
            return ResultKind.Text;
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 })
        {
            return ResultKind.Bytes;
        }

        if (!IsJsonCandidate(type, out _))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, location, name, method.ReturnType.ToDisplayString()));
            return null;
        }

        resultType = JsonType(type);
        jsonUsages.Add(new JsonUsage(resultType, $"The result of '{name}'", LocationInfo.From(location), JsonTypeGraph.Build(type)));
        return ResultKind.Json;
    }

    private static string JsonType(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(JsonTypeFormat);

    private static bool IsText(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.SpecialType == SpecialType.System_String || type.TypeKind == TypeKind.Enum || IsParsable(type);
    }

    private static bool IsBodyRaw(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_String
        || type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 }
        || type.ToDisplayString() == "System.ReadOnlyMemory<byte>";

    private static bool IsParsable(ITypeSymbol type) => Implements(type, "System.IParsable<TSelf>");

    /// <summary>True when <paramref name="type"/> implements the self-referencing generic interface <paramref name="definition"/>.</summary>
    private static bool Implements(ITypeSymbol type, string definition)
    {
        foreach (var i in type.AllInterfaces)
        {
            if (i.OriginalDefinition.ToDisplayString() == definition && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsJsonCandidate(ITypeSymbol type, out string? why)
    {
        why = type switch
        {
            ITypeParameterSymbol => "a type parameter cannot be serialized",
            IPointerTypeSymbol or IFunctionPointerTypeSymbol => "pointers cannot be serialized",
            IDynamicTypeSymbol => "dynamic cannot be serialized",
            IErrorTypeSymbol => "its type could not be resolved",
            { TypeKind: TypeKind.Delegate } => "delegates cannot be serialized",
            { SpecialType: SpecialType.System_Object } => "object gives the serializer no shape to write: use a concrete type",
            { IsRefLikeType: true } => "ref structs cannot be serialized",
            _ when ContainsAnonymous(type) => "anonymous types have no name generated code could use: declare a record",
            _ => null,
        };
        return why is null;
    }

    private static bool HasWorkerAttribute(IMethodSymbol method)
    {
        foreach (var a in method.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() == "Sake.WorkerAttribute")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConnectionBound(ITypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (Array.IndexOf(ConnectionBoundTypes, t.ToDisplayString()) >= 0)
            {
                return true;
            }
        }

        foreach (var i in type.AllInterfaces)
        {
            if (Array.IndexOf(ConnectionBoundTypes, i.ToDisplayString()) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAnonymous(ITypeSymbol type) => type switch
    {
        { IsAnonymousType: true } => true,
        IArrayTypeSymbol array => ContainsAnonymous(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsAnonymous),
        _ => false,
    };

    private static string Describe(BindingSource source) => source switch
    {
        BindingSource.Route => "the route",
        BindingSource.Header => "a header",
        _ => "the query string",
    };

    private static AttributeData? FindAttribute(IParameterSymbol p, string name)
    {
        foreach (var a in p.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() == name)
            {
                return a;
            }
        }

        return null;
    }

    private static string? NamedString(AttributeData attribute, string name)
    {
        foreach (var kv in attribute.NamedArguments)
        {
            if (kv.Key == name && kv.Value.Value is string s && s.Length > 0)
            {
                return s;
            }
        }

        return null;
    }

    private static bool TryFormatDefault(IParameterSymbol p, out string? literal)
    {
        object? value = p.ExplicitDefaultValue;
        var type = p.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : p.Type;
        literal = value switch
        {
            null => "default",
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            bool b => b ? "true" : "false",
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            _ when type.TypeKind == TypeKind.Enum => $"({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})({Convert.ToString(value, CultureInfo.InvariantCulture)})",
            double d => double.IsNaN(d) || double.IsInfinity(d) ? null : d.ToString("R", CultureInfo.InvariantCulture) + "d",
            float f => float.IsNaN(f) || float.IsInfinity(f) ? null : f.ToString("R", CultureInfo.InvariantCulture) + "f",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
            uint ui => ui.ToString(CultureInfo.InvariantCulture) + "U",
            int or short or byte or sbyte or ushort => $"({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){Convert.ToString(value, CultureInfo.InvariantCulture)}",
            _ => null,
        };
        return literal is not null;
    }
}
