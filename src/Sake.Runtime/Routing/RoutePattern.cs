namespace Sake.Routing;

/// <summary>What a <see cref="RouteSegment"/> matches.</summary>
internal enum RouteSegmentKind : byte
{
    /// <summary>Fixed text, compared ordinal-ignore-case.</summary>
    Literal,

    /// <summary><c>{name}</c> or <c>{name:constraint}</c>: exactly one non-empty path segment.</summary>
    Parameter,

    /// <summary><c>{*name}</c>: the rest of the path, possibly empty. Only as the last segment.</summary>
    CatchAll,
}

/// <summary>One '/'-separated piece of a <see cref="RoutePattern"/>.</summary>
/// <param name="Kind">What the segment matches.</param>
/// <param name="Literal">The text of a literal segment; empty for parameters.</param>
/// <param name="ParameterName">The parameter name; empty for literals.</param>
/// <param name="Constraint">The parameter's constraint; <see cref="RouteConstraint.None"/> for literals and catch-alls.</param>
internal readonly record struct RouteSegment(
    RouteSegmentKind Kind,
    string Literal,
    string ParameterName,
    RouteConstraint Constraint);

/// <summary>
/// A parsed route template such as <c>/users/{id:int}/files/{*path}</c>. Parsing is strict: anything
/// the router could not match unambiguously is rejected at startup with a message naming the problem.
/// </summary>
internal sealed class RoutePattern
{
    /// <summary>Most parameters one pattern may declare; callers size their value buffers with it.</summary>
    public const int MaxParameterCount = 16;

    private readonly RouteSegment[] _segments;

    private RoutePattern(string text, RouteSegment[] segments, string[] parameterNames)
    {
        Text = text;
        _segments = segments;
        ParameterNames = parameterNames;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The segments in path order; empty for the root pattern "/".</summary>
    public IReadOnlyList<RouteSegment> Segments => _segments;

    /// <summary>Parameter names (catch-all included) in declaration order, which is also capture order.</summary>
    public string[] ParameterNames { get; }

    /// <summary>
    /// True when both patterns match exactly the same paths with the same captures: literals equal
    /// ignoring case, parameters at the same positions with the same constraint and catch-all-ness.
    /// Parameter names do not matter.
    /// </summary>
    public bool IsEquivalentTo(RoutePattern other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_segments.Length != other._segments.Length)
        {
            return false;
        }

        for (int i = 0; i < _segments.Length; i++)
        {
            RouteSegment a = _segments[i];
            RouteSegment b = other._segments[i];
            if (a.Kind != b.Kind)
            {
                return false;
            }

            bool same = a.Kind == RouteSegmentKind.Literal
                ? string.Equals(a.Literal, b.Literal, StringComparison.OrdinalIgnoreCase)
                : a.Constraint == b.Constraint;
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Parses and validates <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is invalid; the message says why and where.</exception>
    public static RoutePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw Invalid(pattern, "the pattern is empty; use \"/\" for the root");
        }

        if (pattern[0] != '/')
        {
            throw Invalid(pattern, $"a pattern must start with '/' (did you mean \"/{pattern}\"?)");
        }

        CheckBraces(pattern);

        if (pattern.Length == 1)
        {
            return new RoutePattern(pattern, [], []);
        }

        // Before the trailing-slash rule so "//" and "/a//" report the empty segment they contain.
        int empty = pattern.IndexOf("//", StringComparison.Ordinal);
        if (empty >= 0)
        {
            throw Invalid(pattern, $"empty segment ('//') at index {empty}");
        }

        if (pattern[^1] == '/')
        {
            throw Invalid(pattern,
                $"a trailing '/' is not allowed; remove it: \"{pattern.TrimEnd('/')}\" (matching is strict: the request path \"/a/\" does not match \"/a\")");
        }

        var segments = new List<RouteSegment>();
        var names = new List<string>();
        int start = 1;
        while (start <= pattern.Length)
        {
            int slash = pattern.IndexOf('/', start);
            int end = slash < 0 ? pattern.Length : slash;
            if (segments.Count > 0 && segments[^1].Kind == RouteSegmentKind.CatchAll)
            {
                throw Invalid(pattern,
                    $"the catch-all parameter '{{*{segments[^1].ParameterName}}}' must be the last segment");
            }

            RouteSegment segment = ParseSegment(pattern, pattern.Substring(start, end - start));
            if (segment.Kind != RouteSegmentKind.Literal)
            {
                foreach (string existing in names)
                {
                    if (string.Equals(existing, segment.ParameterName, StringComparison.OrdinalIgnoreCase))
                    {
                        throw Invalid(pattern,
                            $"parameter name '{segment.ParameterName}' is used more than once (names are case-insensitive; first use: '{existing}')");
                    }
                }

                names.Add(segment.ParameterName);
                if (names.Count > MaxParameterCount)
                {
                    throw Invalid(pattern, $"more than {MaxParameterCount} parameters");
                }
            }

            segments.Add(segment);
            start = end + 1;
        }

        return new RoutePattern(pattern, segments.ToArray(), names.ToArray());
    }

    // Braces are checked over the whole text first so a '/' inside "{a/b}" is reported as an
    // unclosed brace rather than as two confusing half-segments.
    private static void CheckBraces(string pattern)
    {
        int open = -1;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '{')
            {
                if (open >= 0)
                {
                    throw Invalid(pattern, $"unbalanced braces: '{{' at index {i} is inside the parameter opened at index {open}");
                }

                open = i;
            }
            else if (c == '}')
            {
                if (open < 0)
                {
                    throw Invalid(pattern, $"unbalanced braces: '}}' at index {i} has no matching '{{'");
                }

                open = -1;
            }
            else if (c == '/' && open >= 0)
            {
                throw Invalid(pattern, $"unbalanced braces: '{{' at index {open} is not closed before the '/' at index {i}");
            }
        }

        if (open >= 0)
        {
            throw Invalid(pattern, $"unbalanced braces: '{{' at index {open} is never closed");
        }
    }

    private static RouteSegment ParseSegment(string pattern, string text)
    {
        if (!text.Contains('{'))
        {
            // The matcher sees a decoded path without query or fragment, and canonical paths have no
            // dot segments, so such literals could never match: reject them instead of failing silently.
            if (text.AsSpan().IndexOfAny('?', '#') >= 0)
            {
                throw Invalid(pattern, $"segment '{text}' contains '?' or '#'; a pattern matches the path only, not the query or fragment");
            }

            if (text is "." or "..")
            {
                throw Invalid(pattern, $"dot segment '{text}' can never match a canonical path");
            }

            return new RouteSegment(RouteSegmentKind.Literal, text, "", RouteConstraint.None);
        }

        // Braces are balanced and unnested here, so one '{' at the start and the first '}' at the
        // end means the parameter is the whole segment.
        if (text[0] != '{' || text.IndexOf('}') != text.Length - 1)
        {
            throw Invalid(pattern,
                $"segment '{text}' mixes literal text and a parameter (or holds two parameters); a parameter must be a whole segment");
        }

        ReadOnlySpan<char> inner = text.AsSpan(1, text.Length - 2);
        bool catchAll = inner.StartsWith('*');
        if (catchAll)
        {
            inner = inner[1..];
        }

        ReadOnlySpan<char> name = inner;
        ReadOnlySpan<char> constraintText = default;
        bool hasConstraint = false;
        int colon = inner.IndexOf(':');
        if (colon >= 0)
        {
            name = inner[..colon];
            constraintText = inner[(colon + 1)..];
            hasConstraint = true;
        }

        if (name.IsEmpty)
        {
            throw Invalid(pattern, $"empty parameter name in '{text}'");
        }

        if (inner.Contains('?'))
        {
            throw Invalid(pattern, $"optional parameters ('{text}') are not supported; register a second route without the segment");
        }

        if (inner.Contains('='))
        {
            throw Invalid(pattern, $"default values ('{text}') are not supported");
        }

        if (!IsIdentifier(name))
        {
            throw Invalid(pattern,
                $"invalid parameter name '{name}' in '{text}'; names must match [A-Za-z_][A-Za-z0-9_]*");
        }

        RouteConstraint constraint = RouteConstraint.None;
        if (hasConstraint)
        {
            if (catchAll)
            {
                throw Invalid(pattern, $"catch-all parameter '{text}' cannot have a constraint");
            }

            if (!RouteConstraints.TryParseName(constraintText, out constraint))
            {
                throw Invalid(pattern,
                    $"unknown constraint '{constraintText}' on parameter '{name}'; supported: {RouteConstraints.SupportedNames}");
            }
        }

        return new RouteSegment(
            catchAll ? RouteSegmentKind.CatchAll : RouteSegmentKind.Parameter,
            "",
            name.ToString(),
            constraint);
    }

    private static bool IsIdentifier(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static ArgumentException Invalid(string pattern, string reason) =>
        new($"Invalid route pattern \"{pattern}\": {reason}.", nameof(pattern));
}
