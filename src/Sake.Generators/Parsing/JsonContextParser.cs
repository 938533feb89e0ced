using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Sake.Generators.Model;

namespace Sake.Generators.Parsing;

/// <summary>Reads a user <c>JsonSerializerContext</c>'s <c>[JsonSerializable(typeof(T))]</c> list.</summary>
internal static class JsonContextParser
{
    public const string AttributeName = "System.Text.Json.Serialization.JsonSerializableAttribute";

    public static JsonContextModel? Parse(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || !DerivesFromContext(type) || !Reachable(type))
        {
            return null;
        }

        var types = new List<string>();
        foreach (var attribute in context.Attributes)
        {
            if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is ITypeSymbol t)
            {
                types.Add(t.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(HandlerParser.JsonTypeFormat));
            }
        }

        types.Sort(System.StringComparer.Ordinal);
        return new JsonContextModel(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), new EquatableArray<string>(types.ToArray()));
    }

    /// <summary>Generated handler code elsewhere in the assembly must be able to name the context.</summary>
    private static bool Reachable(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal || t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DerivesFromContext(INamedTypeSymbol type)
    {
        for (var b = type.BaseType; b is not null; b = b.BaseType)
        {
            if (b.ToDisplayString() == "System.Text.Json.Serialization.JsonSerializerContext")
            {
                return true;
            }
        }

        return false;
    }
}
