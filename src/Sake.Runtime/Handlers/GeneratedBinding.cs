using System.ComponentModel;
using System.Globalization;

namespace Sake.Generated;

/// <summary>
/// What code emitted by Sake's source generator calls to bind parameters and answer binding failures. Not meant to
/// be called by hand; public because generated code lives in the user's assembly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedBinding
{
    /// <summary>Parses <paramref name="text"/> with <typeparamref name="T"/>'s invariant-culture parser.</summary>
    /// <typeparam name="T">Any <see cref="IParsable{TSelf}"/> type (primitives, Guid, DateTime, user types).</typeparam>
    /// <param name="text">The raw value; null fails.</param>
    /// <param name="value">The parsed value.</param>
    /// <returns>True when the text parsed.</returns>
    public static bool TryParse<T>(string? text, out T value)
        where T : IParsable<T>
    {
        if (text is null)
        {
            value = default!;
            return false;
        }

        return T.TryParse(text, CultureInfo.InvariantCulture, out value!);
    }

    /// <summary>Parses an enum member by name (case-insensitive) or number; AOT-safe (no reflection over the type).</summary>
    /// <typeparam name="T">The enum type.</typeparam>
    /// <param name="text">The raw value; null fails.</param>
    /// <param name="value">The parsed value.</param>
    /// <returns>True when the text parsed.</returns>
    public static bool TryParseEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        return Enum.TryParse(text, ignoreCase: true, out value);
    }

    /// <summary>Deserializes a request body; invalid JSON is a <see cref="BadRequestException"/> (400).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="body">The whole body (not empty: an empty body is decided by the caller).</param>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/>.</param>
    /// <returns>The value; null for a JSON <c>null</c>.</returns>
    public static T? DeserializeJson<T>(ReadOnlyMemory<byte> body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(body.Span, typeInfo);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new BadRequestException(Sake.Http.Rejections.RejectReason.InvalidJsonBody);
        }
    }

    /// <summary>
    /// Answers <c>400</c> with the same JSON error body the server uses elsewhere (<c>{"error": "…"}</c>), naming the
    /// parameter that could not be bound. The connection stays open: the request itself was well-formed HTTP. Headers
    /// that middleware already set (CORS, say) stay on the answer.
    /// </summary>
    /// <param name="ctx">The request.</param>
    /// <param name="message">What was wrong, naming the parameter.</param>
    public static void BadRequest(Context ctx, string message)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.Status(400);
        ctx.WriteErrorJson(message);
    }
}
