using System.Collections.Generic;
using Sake.Generators.Model;

namespace Sake.Generators.Emit;

/// <summary>The JSON payload types of one generated file, each bound once to the user context that lists it.</summary>
internal sealed class JsonTypeTable
{
    private readonly Dictionary<string, string> _contextByType = new();
    private readonly HashSet<string> _sakeRoots = new();
    private readonly Dictionary<string, string> _fields = new();
    private readonly List<(string Field, string Type, string Context)> _order = new();

    public JsonTypeTable(EquatableArray<JsonContextModel> contexts, EquatableArray<string> sakeRoots)
    {
        foreach (var root in sakeRoots)
        {
            _sakeRoots.Add(root);
        }

        foreach (var c in contexts)
        {
            foreach (var t in c.Types)
            {
                if (!_contextByType.ContainsKey(t))
                {
                    _contextByType.Add(t, c.FullyQualifiedName);
                }
            }
        }
    }

    public bool CoversAll(HandlerModel handler)
    {
        if (handler.Result is ResultKind.Json or ResultKind.JsonResult && !Covers(handler.ResultType!))
        {
            return false;
        }

        foreach (var p in handler.Parameters)
        {
            if (p.Source == BindingSource.Body && IsJsonBody(p) && !Covers(p.ValueType))
            {
                return false;
            }
        }

        return true;
    }

    private bool Covers(string type) => _contextByType.ContainsKey(type) || _sakeRoots.Contains(type);

    public string Field(string type)
    {
        if (!_fields.TryGetValue(type, out var field))
        {
            field = "__sakeJson" + _fields.Count;
            _fields.Add(type, field);
            _order.Add((field, type, _contextByType.TryGetValue(type, out var context) ? context : ""));
        }

        return field;
    }

    public void EmitFields(CodeWriter w)
    {
        foreach (var (field, type, context) in _order)
        {
            w.Line();
            w.Line($"[{BindingEmitter.Generated}]");
            w.Line($"private static readonly global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}> {field} =");
            // A user context that lists the type wins (its options apply); otherwise Sake's own metadata.
            w.Line(context.Length > 0
                ? $"    (global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}>){context}.Default.GetTypeInfo(typeof({type}))!;"
                : $"    {JsonMetadataEmitter.TypeInfoExpression(type)}!;");
        }
    }

    public static bool IsJsonBody(ParameterModel p) => p.ValueType is not ("string" or "byte[]" or "global::System.ReadOnlyMemory<byte>");
}
