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

    /// <summary>Parses <paramref name="text"/> (a slice of the request path) without allocating.</summary>
    /// <typeparam name="T">Any <see cref="ISpanParsable{TSelf}"/> type.</typeparam>
    /// <param name="text">The raw value.</param>
    /// <param name="value">The parsed value.</param>
    /// <returns>True when the text parsed.</returns>
    public static bool TryParse<T>(ReadOnlySpan<char> text, out T value)
        where T : ISpanParsable<T> => T.TryParse(text, CultureInfo.InvariantCulture, out value!);

    /// <summary>Parses an enum member from a slice of the request path, by name (case-insensitive) or number.</summary>
    /// <typeparam name="T">The enum type.</typeparam>
    /// <param name="text">The raw value.</param>
    /// <param name="value">The parsed value.</param>
    /// <returns>True when the text parsed.</returns>
    public static bool TryParseEnum<T>(ReadOnlySpan<char> text, out T value)
        where T : struct, Enum
    {
        // Names are compared against a per-type cache: Enum.TryParse allocated on the loop (≈ 1.5 B per request
        // averaged, measured by AllocationTests), this does not.
        var names = EnumCache<T>.Names;
        for (int i = 0; i < names.Length; i++)
        {
            if (text.Equals(names[i], StringComparison.OrdinalIgnoreCase))
            {
                value = EnumCache<T>.Values[i];
                return true;
            }
        }

        // A number names a member only when one has that value (an undefined value is a bad request, not a new state).
        return Enum.TryParse(text, ignoreCase: false, out value) && (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-')) && Array.IndexOf(EnumCache<T>.Values, value) >= 0;
    }

    /// <summary>Parses an enum member by name (case-insensitive) or by the number of a defined member; AOT-safe.</summary>
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

        return TryParseEnum(text.AsSpan(), out value);
    }

    /// <summary>An enum's member names and values, read once per type (the generic overloads are AOT-safe).</summary>
    private static class EnumCache<T>
        where T : struct, Enum
    {
        public static readonly string[] Names = Enum.GetNames<T>();

        public static readonly T[] Values = Enum.GetValues<T>();
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
