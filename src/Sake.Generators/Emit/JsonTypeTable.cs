using System.Collections.Generic;
using Sake.Generators.Model;

namespace Sake.Generators.Emit;

/// <summary>The JSON payload types of one generated file, each bound once to the user context that lists it.</summary>
internal sealed class JsonTypeTable
{
    private readonly Dictionary<string, string> _contextByType = new();
    private readonly Dictionary<string, string> _fields = new();
    private readonly List<(string Field, string Type, string Context)> _order = new();

    public JsonTypeTable(EquatableArray<JsonContextModel> contexts)
    {
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
        if (handler.Result == ResultKind.Json && !_contextByType.ContainsKey(handler.ResultType!))
        {
            return false;
        }

        foreach (var p in handler.Parameters)
        {
            if (p.Source == BindingSource.Body && IsJsonBody(p) && !_contextByType.ContainsKey(p.ValueType))
            {
                return false;
            }
        }

        return true;
    }

    public string Field(string type)
    {
        if (!_fields.TryGetValue(type, out var field))
        {
            field = "__sakeJson" + _fields.Count;
            _fields.Add(type, field);
            _order.Add((field, type, _contextByType[type]));
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
            w.Line($"    (global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}>){context}.Default.GetTypeInfo(typeof({type}))!;");
        }
    }

    public static bool IsJsonBody(ParameterModel p) => p.ValueType is not ("string" or "byte[]" or "global::System.ReadOnlyMemory<byte>");
}
