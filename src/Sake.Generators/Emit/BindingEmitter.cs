using System.Collections.Generic;
using Sake.Generators.Model;

namespace Sake.Generators.Emit;

/// <summary>
/// The statements of a handler wrapper, shared by attribute handlers and intercepted fluent calls: bind every
/// parameter (a 400 naming it on failure), call the handler, write its result.
/// </summary>
internal static class BindingEmitter
{
    public const string Generated = "global::System.CodeDom.Compiler.GeneratedCode(\"Sake.Generators\", \"" + SakeGenerator.Version + "\")";

    /// <summary>The body of a <c>ValueTask (Context __ctx)</c> wrapper; <paramref name="target"/> is what is called.</summary>
    public static void EmitHandlerBody(CodeWriter w, HandlerModel handler, string target, JsonTypeTable json)
    {
        string bail = handler.Awaits ? "return;" : "return default;";
        var arguments = new List<string>();
        foreach (var p in handler.Parameters)
        {
            string local = "__p_" + p.Name;
            switch (p.Source)
            {
                case BindingSource.Context:
                    arguments.Add("__ctx");
                    continue;
                case BindingSource.CancellationToken:
                    arguments.Add("__ctx.Aborted");
                    continue;
                case BindingSource.Body:
                    EmitBody(w, p, local, bail, json);
                    break;
                default:
                    // A span of the path cannot live in an async wrapper (before C# 13), so only synchronous
                    // wrappers parse route values without allocating a string.
                    if (p.Source == BindingSource.Route && p.SpanParsable && !handler.Awaits)
                    {
                        EmitRouteSpan(w, p, local, bail);
                    }
                    else
                    {
                        EmitText(w, p, local, bail);
                    }

                    break;
            }

            arguments.Add(local);
        }

        string call = $"{target}({string.Join(", ", arguments)})";
        if (handler.Result == ResultKind.None)
        {
            w.Line(handler.Awaits && IsAwaitable(handler) ? $"await {call};" : $"{call};");
        }
        else
        {
            w.Line(handler.Awaits && IsAwaitable(handler) ? $"var __result = await {call};" : $"var __result = {call};");
            bool takesContext = false;
            foreach (var p in handler.Parameters)
            {
                takesContext |= p.Source == BindingSource.Context;
            }

            if (takesContext)
            {
                // A handler that answered itself (AbortWithStatus, AbortWithError) keeps that answer.
                w.Line("if (!__ctx.IsAborted)");
                w.Open();
            }

            switch (handler.Result)
            {
                case ResultKind.Text:
                    w.Line("__ctx.Text(__result ?? string.Empty);");
                    break;
                case ResultKind.Bytes:
                    w.Line("__ctx.Data(\"application/octet-stream\", __result);");
                    break;
                case ResultKind.Json:
                    w.Line($"__ctx.Json(__result, {json.Field(handler.ResultType!)});");
                    break;
                case ResultKind.Result:
                    w.Line("__result.WriteTo(__ctx);");
                    break;
                case ResultKind.JsonResult:
                    w.Line($"__result.WriteTo(__ctx, {json.Field(handler.ResultType!)});");
                    break;
            }

            if (takesContext)
            {
                w.Close();
            }
        }

        if (!handler.Awaits)
        {
            w.Line("return default;");
        }
    }

    /// <summary>Whether the handler itself returns a task (the wrapper may be async only for a body parameter).</summary>
    private static bool IsAwaitable(HandlerModel handler) => handler.ReturnsTask;

    /// <summary>Answers 400 naming what could not be bound, and leaves the wrapper.</summary>
    private static void Reject(CodeWriter w, string message, string bail)
    {
        w.Line($"global::Sake.Generated.GeneratedBinding.BadRequest(__ctx, {Literal(message)});");
        w.Line(bail);
    }

    /// <summary>A route value parsed straight from the request path (no string allocated).</summary>
    private static void EmitRouteSpan(CodeWriter w, ParameterModel p, string local, string bail)
    {
        string raw = "__raw_" + p.Name;
        string parser = p.Parse == ParseKind.Enum ? "TryParseEnum" : "TryParse";
        w.Line($"{p.Type} {local};");
        w.Line($"if (!__ctx.TryGetParamSpan({Literal(p.Key)}, out var {raw}))");
        w.Open();
        Reject(w, $"Route value '{p.Key}' is required.", bail);
        w.Close();
        w.Line($"else if (global::Sake.Generated.GeneratedBinding.{parser}<{p.ValueType}>({raw}, out var __v_{p.Name}))");
        w.Open();
        w.Line($"{local} = __v_{p.Name};");
        w.Close();
        w.Line("else");
        w.Open();
        Reject(w, $"Route value '{p.Key}' is not a valid {ShortName(p.ValueType)}.", bail);
        w.Close();
    }

    private static void EmitText(CodeWriter w, ParameterModel p, string local, string bail)
    {
        string raw = "__raw_" + p.Name;
        string what = p.Source switch
        {
            BindingSource.Route => "Route value",
            BindingSource.Header => "Header",
            _ => "Query parameter",
        };
        string read = p.Source switch
        {
            BindingSource.Route => $"__ctx.Param({Literal(p.Key)})",
            BindingSource.Header => $"__ctx.Header({Literal(p.Key)})",
            _ => $"__ctx.Query({Literal(p.Key)})",
        };
        w.Line($"{p.Type} {local};");
        w.Line($"string? {raw} = {read};");
        w.Line($"if ({raw} is null)");
        w.Open();
        if (p.Optional)
        {
            w.Line($"{local} = {p.DefaultValue ?? "default"};");
        }
        else
        {
            Reject(w, $"{what} '{p.Key}' is required.", bail);
        }

        w.Close();
        switch (p.Parse)
        {
            case ParseKind.None:
                w.Line("else");
                w.Open();
                w.Line($"{local} = {raw};");
                w.Close();
                break;
            default:
                string parser = p.Parse == ParseKind.Enum ? "TryParseEnum" : "TryParse";
                w.Line($"else if (global::Sake.Generated.GeneratedBinding.{parser}<{p.ValueType}>({raw}, out var __v_{p.Name}))");
                w.Open();
                w.Line($"{local} = __v_{p.Name};");
                w.Close();
                w.Line("else");
                w.Open();
                Reject(w, $"{what} '{p.Key}' is not a valid {ShortName(p.ValueType)}.", bail);
                w.Close();
                break;
        }
    }

    private static void EmitBody(CodeWriter w, ParameterModel p, string local, string bail, JsonTypeTable json)
    {
        switch (p.ValueType)
        {
            case "string":
                w.Line($"{p.Type} {local} = await __ctx.ReadBodyStringAsync();");
                return;
            case "byte[]":
                w.Line($"{p.Type} {local} = (await __ctx.ReadBodyAsync()).ToArray();");
                return;
            case "global::System.ReadOnlyMemory<byte>":
                w.Line($"{p.Type} {local} = await __ctx.ReadBodyAsync();");
                return;
        }

        // An empty body is "no value": the default for an optional parameter, a 400 naming a required one (a JSON
        // parse of nothing would only say "invalid JSON").
        string raw = "__body_" + p.Name;
        w.Line($"var {raw} = await __ctx.ReadBodyAsync();");
        w.Line($"{p.Type} {local};");
        w.Line($"if ({raw}.IsEmpty)");
        w.Open();
        if (p.Optional)
        {
            w.Line($"{local} = default;");
        }
        else
        {
            Reject(w, $"The request body ('{p.Name}') is required.", bail);
        }

        w.Close();
        w.Line("else");
        w.Open();
        w.Line($"{local} = global::Sake.Generated.GeneratedBinding.DeserializeJson({raw}, {json.Field(p.ValueType)}){(p.Optional ? "" : "!")};");
        w.Close();
        if (!p.Optional && !p.IsValueType)
        {
            w.Line($"if ({local} is null)");
            w.Open();
            Reject(w, $"The request body ('{p.Name}') is required.", bail);
            w.Close();
        }
    }

    private static string ShortName(string type)
    {
        string t = type.Replace("global::", "");
        int generic = t.IndexOf('<');
        int dot = (generic < 0 ? t : t.Substring(0, generic)).LastIndexOf('.');
        return dot < 0 ? t : t.Substring(dot + 1);
    }

    public static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>An identifier as C# source: reserved keywords get their '@'.</summary>
    public static string Id(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;
}
