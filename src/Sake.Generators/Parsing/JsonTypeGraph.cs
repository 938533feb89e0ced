using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Sake.Generators.Model;

namespace Sake.Generators.Parsing;

/// <summary>
/// Walks a payload type and everything it contains, deciding for each type which <c>JsonMetadataServices</c> factory
/// builds its metadata; the first type that cannot be serialized stops the walk with a message naming the member path
/// (<c>FibResult.Callback: delegates cannot be serialized</c>).
/// </summary>
internal static class JsonTypeGraph
{
    private static readonly Dictionary<string, string> Converters = new()
    {
        ["bool"] = "BooleanConverter",
        ["byte"] = "ByteConverter",
        ["sbyte"] = "SByteConverter",
        ["short"] = "Int16Converter",
        ["ushort"] = "UInt16Converter",
        ["int"] = "Int32Converter",
        ["uint"] = "UInt32Converter",
        ["long"] = "Int64Converter",
        ["ulong"] = "UInt64Converter",
        ["float"] = "SingleConverter",
        ["double"] = "DoubleConverter",
        ["decimal"] = "DecimalConverter",
        ["char"] = "CharConverter",
        ["string"] = "StringConverter",
        ["byte[]"] = "ByteArrayConverter",
        ["global::System.DateTime"] = "DateTimeConverter",
        ["global::System.DateTimeOffset"] = "DateTimeOffsetConverter",
        ["global::System.DateOnly"] = "DateOnlyConverter",
        ["global::System.TimeOnly"] = "TimeOnlyConverter",
        ["global::System.TimeSpan"] = "TimeSpanConverter",
        ["global::System.Guid"] = "GuidConverter",
        ["global::System.Uri"] = "UriConverter",
        ["global::System.Version"] = "VersionConverter",
        ["global::System.Text.Json.JsonElement"] = "JsonElementConverter",
        ["global::System.Int128"] = "Int128Converter",
        ["global::System.UInt128"] = "UInt128Converter",
        ["global::System.Half"] = "HalfConverter",
        ["global::System.Memory<byte>"] = "MemoryByteConverter",
        ["global::System.ReadOnlyMemory<byte>"] = "ReadOnlyMemoryByteConverter",
    };

    private static readonly HashSet<string> ReadOnlyInterfaces = new()
    {
        "System.Collections.Generic.IEnumerable<T>",
        "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Generic.IReadOnlyCollection<T>",
    };

    public static string Key(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(HandlerParser.JsonTypeFormat);

    public static JsonGraph Build(ITypeSymbol root)
    {
        var types = new Dictionary<string, JsonTypeModel>();
        string? error = Visit(root, Display(root), types, depth: 0);
        var ordered = types.Values.OrderBy(t => t.Type, System.StringComparer.Ordinal).ToArray();
        return new JsonGraph(Key(root), error is null ? new EquatableArray<JsonTypeModel>(ordered) : EquatableArray<JsonTypeModel>.Empty, error);
    }

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>Adds <paramref name="type"/> (and what it needs) to <paramref name="types"/>; an error message or null.</summary>
    private static string? Visit(ITypeSymbol type, string path, Dictionary<string, JsonTypeModel> types, int depth)
    {
        string key = Key(type);
        if (types.ContainsKey(key))
        {
            return null;
        }

        if (depth > 64)
        {
            return $"{path}: the type graph is nested too deeply";
        }

        if (Converters.TryGetValue(key, out var converter))
        {
            types.Add(key, Simple(key, JsonTypeKind.Value, converter, null));
            return null;
        }

        if (ConverterType(type, out var typeConverterError) is { } typeConverter)
        {
            types.Add(key, Simple(key, JsonTypeKind.Custom, typeConverter, null));
            return null;
        }

        if (typeConverterError is not null)
        {
            return $"{path}: {typeConverterError}";
        }

        switch (type)
        {
            case ITypeParameterSymbol:
                return $"{path}: an open type parameter cannot be serialized";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return $"{path}: pointers cannot be serialized";
            case IDynamicTypeSymbol:
                return $"{path}: dynamic cannot be serialized";
            case IErrorTypeSymbol:
                return $"{path}: the type could not be resolved";
            case { TypeKind: TypeKind.Delegate }:
                return $"{path}: delegates cannot be serialized";
            case { SpecialType: SpecialType.System_Object }:
                return $"{path}: object has no shape to serialize; use a concrete type";
            case { IsRefLikeType: true }:
                return $"{path}: ref structs cannot be serialized";
            case { TypeKind: TypeKind.Enum }:
                types.Add(key, Simple(key, JsonTypeKind.Enum, null, null));
                return null;
            case IArrayTypeSymbol array:
                if (array.Rank != 1)
                {
                    return $"{path}: multi-dimensional arrays cannot be serialized";
                }

                types.Add(key, Simple(key, JsonTypeKind.Array, null, Key(array.ElementType)));
                return Visit(array.ElementType, path + "[]", types, depth + 1);
        }

        if (type is not INamedTypeSymbol named)
        {
            return $"{path}: this kind of type cannot be serialized";
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            types.Add(key, Simple(key, JsonTypeKind.Nullable, null, Key(named.TypeArguments[0])));
            return Visit(named.TypeArguments[0], path, types, depth + 1);
        }

        string definition = named.OriginalDefinition.ToDisplayString();
        if (definition == "System.Collections.Generic.List<T>")
        {
            types.Add(key, Simple(key, JsonTypeKind.List, null, Key(named.TypeArguments[0])));
            return Visit(named.TypeArguments[0], path + "[]", types, depth + 1);
        }

        if (ReadOnlyInterfaces.Contains(definition))
        {
            types.Add(key, Simple(key, JsonTypeKind.Enumerable, null, Key(named.TypeArguments[0])));
            return Visit(named.TypeArguments[0], path + "[]", types, depth + 1);
        }

        if (definition == "System.Collections.Generic.HashSet<T>")
        {
            types.Add(key, Simple(key, JsonTypeKind.Set, null, Key(named.TypeArguments[0])));
            return Visit(named.TypeArguments[0], path + "[]", types, depth + 1);
        }

        JsonTypeKind? dictionary = definition switch
        {
            "System.Collections.Generic.Dictionary<TKey, TValue>" => JsonTypeKind.Dictionary,
            "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>" => JsonTypeKind.ReadOnlyDictionary,
            "System.Collections.Generic.IDictionary<TKey, TValue>" => JsonTypeKind.InterfaceDictionary,
            _ => null,
        };
        if (dictionary is { } dictionaryKind)
        {
            var keyType = named.TypeArguments[0];
            if (!IsPropertyNameType(keyType))
            {
                return $"{path}: a dictionary key must be a string, an integer, a Guid or an enum (it becomes a JSON property name)";
            }

            types.Add(key, Simple(key, dictionaryKind, null, Key(named.TypeArguments[1])) with { KeyType = Key(keyType) });
            return Visit(keyType, path + "[key]", types, depth + 1) ?? Visit(named.TypeArguments[1], path + "[key]", types, depth + 1);
        }

        if (named.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "System.Collections.IEnumerable"))
        {
            return $"{path}: '{Display(type)}' is a collection Sake does not generate metadata for (use an array, List<T>, IReadOnlyList<T> or Dictionary<string, T>, or list it in a JsonSerializerContext)";
        }

        bool polymorphic = DerivedTypes(named).Count > 0;
        if ((named.IsAbstract || named.TypeKind is TypeKind.Interface) && !polymorphic)
        {
            return $"{path}: '{Display(type)}' is abstract or an interface; JSON needs a concrete type (or [JsonDerivedType] attributes naming the concrete ones)";
        }

        if (named.IsGenericType && named.TypeArguments.Any(a => a is ITypeParameterSymbol))
        {
            return $"{path}: an open generic type cannot be serialized";
        }

        return VisitObject(named, key, path, types, depth);
    }

    /// <summary>Attributes whose meaning Sake's metadata does not carry yet: such types need a JsonSerializerContext.</summary>
    private static readonly string[] UnsupportedAttributes =
    [
        "System.Text.Json.Serialization.JsonExtensionDataAttribute",
        "System.Text.Json.Serialization.JsonNumberHandlingAttribute",
        "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute",
        "System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute",
        "System.Text.Json.Serialization.JsonIncludeAttribute",
    ];

    /// <summary>
    /// The converter a <c>[JsonConverter(typeof(X))]</c> names, as a type generated code can <c>new</c> up; null when
    /// there is none. <paramref name="error"/> explains an attribute Sake cannot honour (a derived attribute that
    /// creates its converter in code, a converter without a public parameterless constructor).
    /// </summary>
    public static string? ConverterType(ISymbol symbol, out string? error)
    {
        error = null;
        foreach (var a in symbol.GetAttributes())
        {
            if (a.AttributeClass is null || !InheritsFrom(a.AttributeClass, "System.Text.Json.Serialization.JsonConverterAttribute"))
            {
                continue;
            }

            if (a.AttributeClass.ToDisplayString() != "System.Text.Json.Serialization.JsonConverterAttribute"
                || a.ConstructorArguments.Length != 1 || a.ConstructorArguments[0].Value is not INamedTypeSymbol converter)
            {
                error = $"a [{a.AttributeClass.Name}] that creates its converter in code is not supported by Sake's generated metadata yet";
                return null;
            }

            if (converter.IsAbstract || !converter.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal))
            {
                error = $"the converter '{converter.Name}' needs a public parameterless constructor";
                return null;
            }

            return converter.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        }

        return null;
    }

    private static bool InheritsFrom(INamedTypeSymbol type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == name)
            {
                return true;
            }
        }

        return false;
    }

    private static string? Unsupported(ISymbol symbol)
    {
        foreach (var a in symbol.GetAttributes())
        {
            string? name = a.AttributeClass?.ToDisplayString();
            if (name is not null && System.Array.IndexOf(UnsupportedAttributes, name) >= 0)
            {
                return "[" + a.AttributeClass!.Name.Replace("Attribute", "") + "]";
            }
        }

        return null;
    }

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

    private static string? VisitObject(INamedTypeSymbol type, string key, string path, Dictionary<string, JsonTypeModel> types, int depth)
    {
        if (!Reachable(type))
        {
            return $"{path}: '{Display(type)}' is private, protected or file-local, so generated metadata cannot name it; make it internal or public";
        }

        if (Unsupported(type) is { } attribute)
        {
            return $"{path}: '{Display(type)}' uses {attribute}, which Sake's generated metadata does not support yet; list the type in a JsonSerializerContext";
        }

        if (type.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.KeyValuePair<TKey, TValue>")
        {
            return $"{path}: KeyValuePair needs System.Text.Json's converter; list the type in a JsonSerializerContext";
        }

        // Placeholder first, so a type that contains itself (a tree) does not recurse forever.
        types.Add(key, Simple(key, JsonTypeKind.Object, null, null));

        // A polymorphic base ([JsonDerivedType]) is read through its derived types: System.Text.Json takes the
        // attributes from the type at run time; the derived types need metadata too.
        foreach (var derived in DerivedTypes(type))
        {
            string? derivedError = Visit(derived, path + "<" + Display(derived) + ">", types, depth + 1);
            if (derivedError is not null)
            {
                return derivedError;
            }
        }

        if (type.IsAbstract || type.TypeKind == TypeKind.Interface)
        {
            var baseProperties = new List<JsonPropertyModel>();
            string? propertiesError = CollectProperties(type, null, new List<JsonParameterModel>(), baseProperties, path, types, depth);
            if (propertiesError is not null)
            {
                return propertiesError;
            }

            types[key] = new JsonTypeModel(key, JsonTypeKind.Object, null, null, null, false, false,
                new EquatableArray<JsonPropertyModel>(baseProperties.ToArray()), EquatableArray<JsonParameterModel>.Empty) with { IsAbstract = true };
            return null;
        }

        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        var marked = constructors.Where(c => c.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonConstructorAttribute")).ToList();
        bool parameterless = constructors.Any(c => c.Parameters.Length == 0) || type.IsValueType;
        if (marked.Count > 1)
        {
            return $"{path}: '{Display(type)}' has more than one [JsonConstructor]";
        }

        IMethodSymbol? chosen = marked.Count == 1
            ? marked[0]
            : parameterless ? null : constructors.Count == 1 ? constructors[0] : null;
        if (chosen is null && !parameterless)
        {
            return $"{path}: '{Display(type)}' needs a public parameterless constructor, a single public constructor, or one marked [JsonConstructor]";
        }

        if (chosen is { Parameters.Length: 0 })
        {
            chosen = null;
        }

        var parameters = new List<JsonParameterModel>();
        if (chosen is not null)
        {
            foreach (var p in chosen.Parameters)
            {
                string? defaultValue = null;
                if (p.HasExplicitDefaultValue && !TryLiteral(p.ExplicitDefaultValue, p.Type, out defaultValue))
                {
                    return $"{path}: the default value of constructor parameter '{p.Name}' cannot be expressed";
                }

                parameters.Add(new JsonParameterModel(p.Name, Key(p.Type), p.Ordinal, p.HasExplicitDefaultValue, defaultValue, IsNullable(p.Type, p.NullableAnnotation), false));
            }
        }

        var properties = new List<JsonPropertyModel>();
        string? collected = CollectProperties(type, chosen, parameters, properties, path, types, depth);
        if (collected is not null)
        {
            return collected;
        }

        // Constructor parameters without a matching property still need metadata for their types.
        foreach (var p in parameters)
        {
            if (!p.IsInitOnlyProperty && chosen is not null)
            {
                string? error = Visit(chosen.Parameters[p.Position].Type, path + "(" + p.Name + ")", types, depth + 1);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        types[key] = new JsonTypeModel(
            key,
            JsonTypeKind.Object,
            null,
            null,
            null,
            type.IsValueType,
            chosen is null,
            new EquatableArray<JsonPropertyModel>(properties.ToArray()),
            new EquatableArray<JsonParameterModel>(parameters.ToArray()));
        return null;
    }

    private static bool IsPropertyNameType(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum
        || type.SpecialType is SpecialType.System_String or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte
        || type.ToDisplayString() == "System.Guid";

    /// <summary>The public properties of <paramref name="type"/> and its bases, each visited; an error or null.</summary>
    private static string? CollectProperties(INamedTypeSymbol type, IMethodSymbol? chosen, List<JsonParameterModel> parameters, List<JsonPropertyModel> properties, string path, Dictionary<string, JsonTypeModel> types, int depth)
    {
        var seen = new HashSet<string>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer
                    || property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public }
                    || !seen.Add(property.Name))
                {
                    continue;
                }

                ConverterType(property, out var converterError);
                if (converterError is not null)
                {
                    return $"{path}.{property.Name}: {converterError}";
                }

                if (Unsupported(property) is { } propertyAttribute)
                {
                    return $"{path}.{property.Name}: {propertyAttribute} is not supported by Sake's generated metadata yet; list '{Display(type)}' in a JsonSerializerContext";
                }

                // [JsonIgnore] keeps the property in the metadata with its condition (Always by default), as
                // System.Text.Json does: a constructor parameter may still bind to it.
                int ignore = 0;
                var ignoreAttribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonIgnoreAttribute");
                if (ignoreAttribute is not null)
                {
                    ignore = 1;
                    foreach (var named in ignoreAttribute.NamedArguments)
                    {
                        if (named.Key == "Condition" && named.Value.Value is int condition)
                        {
                            ignore = condition;
                        }
                    }
                }

                bool required = property.IsRequired
                    || property.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonRequiredAttribute");
                int? order = property.GetAttributes()
                    .Where(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonPropertyOrderAttribute")
                    .Select(a => a.ConstructorArguments.Length == 1 ? a.ConstructorArguments[0].Value as int? : null)
                    .FirstOrDefault();

                string? jsonName = property.GetAttributes()
                    .Where(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonPropertyNameAttribute")
                    .Select(a => a.ConstructorArguments.Length == 1 ? a.ConstructorArguments[0].Value as string : null)
                    .FirstOrDefault();
                var setter = property.SetMethod;
                bool initOnly = setter is { IsInitOnly: true, DeclaredAccessibility: Accessibility.Public };
                bool canSet = setter is { IsInitOnly: false, DeclaredAccessibility: Accessibility.Public };
                int position = -1;
                if (chosen is not null)
                {
                    var match = chosen.Parameters.FirstOrDefault(p => string.Equals(p.Name, property.Name, System.StringComparison.OrdinalIgnoreCase));
                    if (match is not null)
                    {
                        position = match.Ordinal;
                    }
                }

                if (position < 0 && (initOnly || property.IsRequired))
                {
                    // Like System.Text.Json: init-only and required properties are set through the creator's
                    // object initializer (a required member must be set there for the code to compile).
                    position = parameters.Count;
                    parameters.Add(new JsonParameterModel(property.Name, Key(property.Type), position, false, null, IsNullable(property.Type, property.NullableAnnotation), true));
                }

                properties.Add(new JsonPropertyModel(ConverterType(property, out _), property.Name, Key(property.Type), Key(t), jsonName, canSet, initOnly, position, ignore, required, order));
                // A property with its own converter needs no metadata for its type.
                string? error = properties[properties.Count - 1].ConverterType is not null
                    ? null
                    : Visit(property.Type, path + "." + property.Name, types, depth + 1);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static List<INamedTypeSymbol> DerivedTypes(INamedTypeSymbol type)
    {
        var list = new List<INamedTypeSymbol>();
        foreach (var a in type.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonDerivedTypeAttribute"
                && a.ConstructorArguments.Length >= 1 && a.ConstructorArguments[0].Value is INamedTypeSymbol derived)
            {
                list.Add(derived);
            }
        }

        return list;
    }

    private static JsonTypeModel Simple(string key, JsonTypeKind kind, string? converter, string? element) =>
        new(key, kind, converter, element, null, false, false, EquatableArray<JsonPropertyModel>.Empty, EquatableArray<JsonParameterModel>.Empty);

    private static bool IsNullable(ITypeSymbol type, NullableAnnotation annotation) =>
        annotation == NullableAnnotation.Annotated || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
        || (!type.IsValueType && annotation == NullableAnnotation.None);

    private static bool TryLiteral(object? value, ITypeSymbol type, out string? literal)
    {
        literal = value switch
        {
            null => "null",
            string s => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(s, quote: true),
            bool b => b ? "true" : "false",
            char c => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true),
            double d => double.IsNaN(d) || double.IsInfinity(d) ? null : d.ToString("R", CultureInfo.InvariantCulture) + "d",
            float f => float.IsNaN(f) || float.IsInfinity(f) ? null : f.ToString("R", CultureInfo.InvariantCulture) + "f",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
            _ when type.TypeKind == TypeKind.Enum || value is int or long or short or byte or sbyte or ushort or uint or ulong =>
                $"({Key(type)})({System.Convert.ToString(value, CultureInfo.InvariantCulture)})",
            _ => null,
        };
        return literal is not null;
    }
}
