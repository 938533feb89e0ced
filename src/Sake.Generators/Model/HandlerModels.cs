namespace Sake.Generators.Model;

/// <summary>Where a parameter's value comes from.</summary>
internal enum BindingSource
{
    Context,
    CancellationToken,
    Route,
    Query,
    Header,
    Body,
}

/// <summary>How a text value (route, query, header) becomes the parameter's type.</summary>
internal enum ParseKind
{
    /// <summary>The parameter is a string: no parsing.</summary>
    None,

    /// <summary>Through <c>IParsable&lt;T&gt;</c> (primitives, Guid, DateTime, user types).</summary>
    Parsable,

    /// <summary>An enum, by name or number.</summary>
    Enum,
}

/// <summary>How the handler's result becomes the response.</summary>
internal enum ResultKind
{
    /// <summary>void: the handler wrote the response through the Context, or it stays an empty 200.</summary>
    None,
    Text,
    Bytes,
    Json,

    /// <summary><c>Sake.Result</c>: status, Location, error message.</summary>
    Result,

    /// <summary><c>Sake.Result&lt;T&gt;</c>: the same plus a JSON payload of the result type.</summary>
    JsonResult,
}

/// <summary>One handler parameter, as the emitter needs it. Types are fully qualified display strings.</summary>
internal sealed record ParameterModel(
    string Name,
    string Type,
    string ValueType,
    BindingSource Source,
    string Key,
    ParseKind Parse,
    bool Optional,
    string? DefaultValue,
    bool IsValueType,
    bool SpanParsable = false);

/// <summary>One <c>[Get]</c>/<c>[Post]</c>/… declaration.</summary>
internal sealed record RouteModel(string Method, string Pattern);

/// <summary>One handler method with its routes, parameters and result.</summary>
internal sealed record HandlerModel(
    string Name,
    EquatableArray<RouteModel> Routes,
    EquatableArray<ParameterModel> Parameters,
    ResultKind Result,
    string? ResultType,
    bool Awaits,
    bool ReturnsTask,
    bool IsWorker,
    EquatableArray<string> Middleware);

/// <summary>A type that contains the handler class, outermost first (they must all be partial).</summary>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>The partial handler class: where it lives and every handler in it, in declaration order.</summary>
internal sealed record HandlerClassModel(
    string? Namespace,
    string Name,
    string Keyword,
    string FullyQualifiedName,
    string HintName,
    string Accessibility,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    EquatableArray<HandlerModel> Handlers);

/// <summary>A type a handler reads or writes as JSON, and where (for the diagnostic when nothing covers it).</summary>
internal sealed record JsonUsage(string Type, string Member, LocationInfo? Location, JsonGraph Graph);

/// <summary>The payload types Sake emits metadata for (those no user context lists), and the roots handlers use.</summary>
internal sealed record SakeJsonSet(EquatableArray<string> Roots, EquatableArray<JsonTypeModel> Types);

/// <summary>A user <c>JsonSerializerContext</c> and the types its <c>[JsonSerializable]</c> attributes list.</summary>
internal sealed record JsonContextModel(string FullyQualifiedName, EquatableArray<string> Types);

/// <summary>
/// A handler method after parsing: its class and model (null when it cannot be generated), plus what only the
/// diagnostics output needs. The emitter's input is <see cref="Class"/> and <see cref="Handler"/> alone.
/// </summary>
internal sealed record HandlerParseResult(
    HandlerClassModel? Class,
    HandlerModel? Handler,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<JsonUsage> JsonUsages,
    LocationInfo? Location);

/// <summary>
/// An <c>app.Get("/p", (int n) => …)</c> call to intercept: the route, the handler's binding, how to call the
/// delegate, and the call site in the form <c>[InterceptsLocation]</c> takes.
/// </summary>
internal sealed record InterceptorModel(
    string Verb,
    string Pattern,
    HandlerModel Handler,
    string? DelegateType,
    string? DirectTarget,
    int LocationVersion,
    string LocationData,
    string DisplayLocation);

/// <summary>A fluent call after parsing: what to intercept (null when it cannot be), plus diagnostics-only data.</summary>
internal sealed record InterceptorParseResult(
    InterceptorModel? Interceptor,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<JsonUsage> JsonUsages,
    LocationInfo? Location);
