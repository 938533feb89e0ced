using System;
using System.Collections.Generic;
using System.Text;
using Sake.Generators.Model;

namespace Sake.Generators.Parsing;

/// <summary>
/// The compile-time view of a route pattern (<c>/users/{id:int}/files/{*path}</c>): enough to report a bad pattern
/// as a build error, find parameter names and detect conflicts. The runtime's parser stays the authority; patterns
/// the generator accepts are ones it accepts.
/// </summary>
internal static class RouteTemplate
{
    /// <summary>The runtime's limit (RoutePattern.MaxParameterCount).</summary>
    public const int MaxParameterCount = 16;

    private static readonly HashSet<string> Constraints = new(StringComparer.OrdinalIgnoreCase) { "int", "long", "bool", "guid", "double", "decimal", "alpha", "datetime" };

    /// <summary>Null when the pattern is valid, otherwise what is wrong with it.</summary>
    public static string? Validate(string pattern)
    {
        if (pattern.Length == 0 || pattern[0] != '/')
        {
            return "a pattern must start with '/'";
        }

        if (pattern.Length > 1 && pattern[pattern.Length - 1] == '/')
        {
            return "a pattern must not end with '/'";
        }

        if (pattern.IndexOf('?') >= 0 || pattern.IndexOf('#') >= 0)
        {
            return "a pattern matches the path only: it cannot contain '?' or '#'";
        }

        if (pattern == "/")
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string[] segments = pattern.Substring(1).Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            string s = segments[i];
            if (s.Length == 0)
            {
                return "empty segment ('//')";
            }

            bool opens = s[0] == '{';
            bool closes = s[s.Length - 1] == '}';
            if (!opens && !closes)
            {
                if (s.IndexOf('{') >= 0 || s.IndexOf('}') >= 0)
                {
                    return $"segment '{s}' mixes text and a parameter; a parameter must be a whole segment";
                }

                if (s is "." or "..")
                {
                    return $"dot segment '{s}' can never match a canonical path";
                }

                continue;
            }

            if (!(opens && closes) && s.IndexOf('{') >= 0 && s.IndexOf('}') > s.IndexOf('{'))
            {
                return $"segment '{s}' mixes text and a parameter; a parameter must be a whole segment";
            }

            if (!opens || !closes || s.Length < 3)
            {
                return $"segment '{s}' is not a parameter ('{{name}}', '{{name:constraint}}' or '{{*name}}')";
            }

            string inner = s.Substring(1, s.Length - 2);
            bool catchAll = inner.StartsWith("*", StringComparison.Ordinal);
            if (catchAll)
            {
                inner = inner.Substring(1);
                if (i != segments.Length - 1)
                {
                    return $"the catch-all parameter '{s}' must be the last segment";
                }
            }

            if (inner.IndexOf('=') >= 0)
            {
                return $"default values ('{s}') are not supported";
            }

            string name = inner;
            int colon = inner.IndexOf(':');
            if (colon >= 0)
            {
                name = inner.Substring(0, colon);
                string constraint = inner.Substring(colon + 1);
                if (catchAll)
                {
                    return $"the catch-all parameter '{s}' cannot have a constraint";
                }

                if (!Constraints.Contains(constraint))
                {
                    return $"unknown constraint '{constraint}' (int, long, bool, guid, double, decimal, alpha, datetime)";
                }
            }

            if (!IsIdentifier(name))
            {
                return $"parameter name '{name}' must be ASCII letters, digits and '_', not starting with a digit";
            }

            if (!names.Add(name))
            {
                return $"parameter '{name}' appears twice";
            }

            if (names.Count > MaxParameterCount)
            {
                return $"more than {MaxParameterCount} parameters";
            }
        }

        return null;
    }

    /// <summary>Parameter names (case-insensitive) found in every route; <paramref name="partial"/>: in some only.</summary>
    public static HashSet<string> CommonParameterNames(IReadOnlyList<RouteModel> routes, out HashSet<string> partial)
    {
        var common = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        partial = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int r = 0; r < routes.Count; r++)
        {
            var names = ParameterNames(routes[r].Pattern);
            if (r == 0)
            {
                common.UnionWith(names);
            }
            else
            {
                foreach (var n in common)
                {
                    if (!names.Contains(n))
                    {
                        partial.Add(n);
                    }
                }

                foreach (var n in names)
                {
                    if (!common.Contains(n))
                    {
                        partial.Add(n);
                    }
                }

                common.IntersectWith(names);
            }
        }

        return common;
    }

    /// <summary>
    /// Two routes conflict when this key is equal: the method, literal segments ignoring case, and parameters reduced
    /// to their position, constraint and catch-all-ness (the names do not matter to matching).
    /// </summary>
    public static string ConflictKey(string method, string pattern)
    {
        var key = new StringBuilder(method).Append(' ');
        if (pattern == "/")
        {
            return key.Append('/').ToString();
        }

        foreach (var s in pattern.Substring(1).Split('/'))
        {
            key.Append('/');
            if (s.Length > 0 && s[0] == '{')
            {
                string inner = s.Substring(1, s.Length - 2);
                int colon = inner.IndexOf(':');
                key.Append(inner.StartsWith("*", StringComparison.Ordinal) ? "{*}" : colon < 0 ? "{}" : "{:" + inner.Substring(colon + 1).ToLowerInvariant() + "}");
            }
            else
            {
                key.Append(s.ToLowerInvariant());
            }
        }

        return key.ToString();
    }

    private static HashSet<string> ParameterNames(string pattern)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in pattern.Split('/'))
        {
            if (s.Length > 2 && s[0] == '{' && s[s.Length - 1] == '}')
            {
                string inner = s.Substring(1, s.Length - 2).TrimStart('*');
                int colon = inner.IndexOf(':');
                names.Add(colon < 0 ? inner : inner.Substring(0, colon));
            }
        }

        return names;
    }

    /// <summary>ASCII letters, digits and '_', not starting with a digit: what the runtime accepts.</summary>
    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
