namespace Sake.Generators.Model;

/// <summary>What metadata a payload type needs (mirrors the <c>JsonMetadataServices</c> factory that builds it).</summary>
internal enum JsonTypeKind
{
    /// <summary>A type with a built-in converter (<c>JsonMetadataServices.Int32Converter</c>…).</summary>
    Value,
    Enum,
    Nullable,
    Array,
    List,

    /// <summary>An interface collection (<c>IReadOnlyList&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c>…): read into a list.</summary>
    Enumerable,
    Dictionary,

    /// <summary><c>HashSet&lt;T&gt;</c>.</summary>
    Set,

    /// <summary><c>IReadOnlyDictionary&lt;K, V&gt;</c>: read into a Dictionary.</summary>
    ReadOnlyDictionary,

    /// <summary><c>IDictionary&lt;K, V&gt;</c>: read into a Dictionary.</summary>
    InterfaceDictionary,

    /// <summary>A type whose <c>[JsonConverter]</c> decides (<see cref="JsonTypeModel.Converter"/> is the converter type).</summary>
    Custom,
    Object,
}

/// <summary>One property of an object payload.</summary>
internal sealed record JsonPropertyModel(
    string? ConverterType,
    string Name,
    string Type,
    string DeclaringType,
    string? JsonName,
    bool CanSet,
    bool IsInitOnly,
    int ParameterPosition,
    int IgnoreCondition,
    bool IsRequired,
    int? Order);

/// <summary>One parameter of the constructor (or init-only property set through it) an object is created with.</summary>
internal sealed record JsonParameterModel(
    string Name,
    string Type,
    int Position,
    bool HasDefaultValue,
    string? DefaultValue,
    bool IsNullable,
    bool IsInitOnlyProperty);

/// <summary>
/// One type of a payload's graph, as plain data: enough to emit the same <c>JsonTypeInfo</c> System.Text.Json's own
/// generator would, through <c>JsonMetadataServices</c>.
/// </summary>
internal sealed record JsonTypeModel(
    string Type,
    JsonTypeKind Kind,
    string? Converter,
    string? ElementType,
    string? KeyType,
    bool IsValueType,
    bool HasParameterlessConstructor,
    EquatableArray<JsonPropertyModel> Properties,
    EquatableArray<JsonParameterModel> Parameters)
{
    /// <summary>Abstract or an interface (a polymorphic base): no creator; System.Text.Json reads its derived types.</summary>
    public bool IsAbstract { get; init; }
}

/// <summary>A payload type and every type its metadata needs, or why it cannot be serialized.</summary>
internal sealed record JsonGraph(string Root, EquatableArray<JsonTypeModel> Types, string? Error);
