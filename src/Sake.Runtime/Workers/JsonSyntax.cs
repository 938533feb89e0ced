using System.Buffers;
using System.Text.Unicode;

namespace Sake.Workers;

/// <summary>
/// A syntax-only RFC 8259 check: is this exactly one JSON object or array, in valid UTF-8, with nothing around it?
/// It decides whether a body may be embedded into the worker payload as JSON.
/// </summary>
/// <remarks>
/// <see cref="System.Text.Json.Utf8JsonReader"/> answers the same question at 1.3–1.5 µs per KiB; this builds no
/// tokens and crosses string contents (most of a typical document) with a vectorized search, at a fraction of that.
/// It must never be more lenient than the reader (a body it accepts is embedded raw, so an error here would make the
/// payload invalid JSON): the tests compare the two on generated and mutated documents. It may be stricter —
/// such a body simply travels as a JSON string instead.
/// </remarks>
internal static class JsonSyntax
{
    /// <summary>The bytes that end a run of plain string content: the closing quote, an escape, a control character.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>The deepest nesting a caller may ask for (one bit per level of the container stack).</summary>
    public const int DepthLimit = 64;

    /// <summary>
    /// True when <paramref name="json"/> is exactly one JSON object or array (no whitespace around it), valid UTF-8,
    /// nested at most <paramref name="maxDepth"/> levels.
    /// </summary>
    public static bool IsObjectOrArray(ReadOnlySpan<byte> json, int maxDepth)
    {
        if ((uint)maxDepth > DepthLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDepth));
        }

        if (json.Length < 2 || (json[0] != (byte)'{' && json[0] != (byte)'['))
        {
            return false;
        }

        if (!Utf8.IsValid(json))
        {
            return false;
        }

        ulong arrays = 0; // bit d set: the container at depth d is an array
        int depth = 0;
        int i = 0;

    Value:
        if (i >= json.Length)
        {
            return false;
        }

        switch (json[i])
        {
            case (byte)'{':
                if (++depth > maxDepth)
                {
                    return false;
                }

                arrays &= ~(1UL << (depth - 1));
                i = SkipWhitespace(json, i + 1);
                if (i < json.Length && json[i] == (byte)'}')
                {
                    i++;
                    depth--;
                    goto AfterValue;
                }

                goto Member;
            case (byte)'[':
                if (++depth > maxDepth)
                {
                    return false;
                }

                arrays |= 1UL << (depth - 1);
                i = SkipWhitespace(json, i + 1);
                if (i < json.Length && json[i] == (byte)']')
                {
                    i++;
                    depth--;
                    goto AfterValue;
                }

                goto Value;
            case (byte)'"':
                i = SkipString(json, i);
                break;
            case (byte)'t':
                i = SkipLiteral(json, i, "true"u8);
                break;
            case (byte)'f':
                i = SkipLiteral(json, i, "false"u8);
                break;
            case (byte)'n':
                i = SkipLiteral(json, i, "null"u8);
                break;
            default:
                i = SkipNumber(json, i);
                break;
        }

        if (i < 0)
        {
            return false;
        }

    AfterValue:
        if (depth == 0)
        {
            return i == json.Length;
        }

        i = SkipWhitespace(json, i);
        if (i >= json.Length)
        {
            return false;
        }

        bool inArray = (arrays & (1UL << (depth - 1))) != 0;
        byte c = json[i];
        if (c == (byte)',')
        {
            i = SkipWhitespace(json, i + 1);
            if (inArray)
            {
                goto Value;
            }

            goto Member;
        }

        if (c == (inArray ? (byte)']' : (byte)'}'))
        {
            i++;
            depth--;
            goto AfterValue;
        }

        return false;

    Member:
        // At a member's name (whitespace before it already skipped): "name" ws : ws value
        if (i >= json.Length || json[i] != (byte)'"')
        {
            return false;
        }

        i = SkipString(json, i);
        if (i < 0)
        {
            return false;
        }

        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)':')
        {
            return false;
        }

        i = SkipWhitespace(json, i + 1);
        goto Value;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length)
        {
            byte c = json[i];
            if (c != (byte)' ' && c != (byte)'\n' && c != (byte)'\r' && c != (byte)'\t')
            {
                break;
            }

            i++;
        }

        return i;
    }

    /// <summary>From the opening quote; the index after the closing quote, or -1.</summary>
    private static int SkipString(ReadOnlySpan<byte> json, int i)
    {
        i++;
        while (true)
        {
            int run = json.Slice(i).IndexOfAny(StringStops);
            if (run < 0)
            {
                return -1;
            }

            i += run;
            byte c = json[i];
            if (c == (byte)'"')
            {
                return i + 1;
            }

            if (c != (byte)'\\' || i + 1 >= json.Length)
            {
                return -1; // an unescaped control character, or a backslash at the very end
            }

            switch (json[i + 1])
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'/':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    i += 2;
                    break;
                case (byte)'u':
                    if (i + 6 > json.Length || !IsHex(json[i + 2]) || !IsHex(json[i + 3]) || !IsHex(json[i + 4]) || !IsHex(json[i + 5]))
                    {
                        return -1;
                    }

                    i += 6;
                    break;
                default:
                    return -1;
            }
        }
    }

    private static bool IsHex(byte c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    private static int SkipLiteral(ReadOnlySpan<byte> json, int i, ReadOnlySpan<byte> literal) =>
        json.Slice(i).StartsWith(literal) ? i + literal.Length : -1;

    /// <summary>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; the index after it, or -1.</summary>
    private static int SkipNumber(ReadOnlySpan<byte> json, int i)
    {
        if (i < json.Length && json[i] == (byte)'-')
        {
            i++;
        }

        if (i >= json.Length)
        {
            return -1;
        }

        if (json[i] == (byte)'0')
        {
            i++;
        }
        else if ((uint)(json[i] - '1') <= 8)
        {
            i = SkipDigits(json, i + 1);
        }
        else
        {
            return -1;
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            int start = i + 1;
            i = SkipDigits(json, start);
            if (i == start)
            {
                return -1;
            }
        }

        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < json.Length && (json[i] == (byte)'+' || json[i] == (byte)'-'))
            {
                i++;
            }

            int start = i;
            i = SkipDigits(json, start);
            if (i == start)
            {
                return -1;
            }
        }

        return i;
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && (uint)(json[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }
}
