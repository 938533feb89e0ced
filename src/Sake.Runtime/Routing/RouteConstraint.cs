using System.Buffers;
using System.Globalization;

namespace Sake.Routing;

/// <summary>An inline constraint on a route parameter, written <c>{name:constraint}</c>.</summary>
internal enum RouteConstraint : byte
{
    None,
    Int,
    Long,
    Bool,
    Guid,
    Double,
    Decimal,
    Alpha,
    DateTime,
}

/// <summary>Evaluation and naming of <see cref="RouteConstraint"/> values.</summary>
internal static class RouteConstraints
{
    /// <summary>The names accepted in patterns, for error messages.</summary>
    public const string SupportedNames = "int, long, bool, guid, double, decimal, alpha, datetime";

    private static readonly SearchValues<char> AsciiLetters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>
    /// True when <paramref name="value"/> satisfies <paramref name="constraint"/>. Never allocates.
    /// The number styles are the defaults of each type's <c>ISpanParsable</c> implementation, so a value
    /// that passes the constraint also binds with <c>T.TryParse(span, CultureInfo.InvariantCulture, out _)</c>.
    /// </summary>
    public static bool Matches(RouteConstraint constraint, ReadOnlySpan<char> value)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (constraint)
        {
            case RouteConstraint.None:
                return true;
            case RouteConstraint.Int:
                return int.TryParse(value, NumberStyles.Integer, inv, out _);
            case RouteConstraint.Long:
                return long.TryParse(value, NumberStyles.Integer, inv, out _);
            case RouteConstraint.Bool:
                return bool.TryParse(value, out _);
            case RouteConstraint.Guid:
                return System.Guid.TryParse(value, out _);
            case RouteConstraint.Double:
                return double.TryParse(value, NumberStyles.Float | NumberStyles.AllowThousands, inv, out _);
            case RouteConstraint.Decimal:
                return decimal.TryParse(value, NumberStyles.Number, inv, out _);
            case RouteConstraint.Alpha:
                return !value.IsEmpty && !value.ContainsAnyExcept(AsciiLetters);
            case RouteConstraint.DateTime:
                return System.DateTime.TryParse(value, inv, DateTimeStyles.None, out _);
            default:
                return false;
        }
    }

    /// <summary>Parses a constraint name as written in a pattern (case-insensitive, e.g. "int").</summary>
    public static bool TryParseName(ReadOnlySpan<char> name, out RouteConstraint constraint)
    {
        constraint = name switch
        {
            _ when name.Equals("int", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Int,
            _ when name.Equals("long", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Long,
            _ when name.Equals("bool", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Bool,
            _ when name.Equals("guid", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Guid,
            _ when name.Equals("double", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Double,
            _ when name.Equals("decimal", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Decimal,
            _ when name.Equals("alpha", StringComparison.OrdinalIgnoreCase) => RouteConstraint.Alpha,
            _ when name.Equals("datetime", StringComparison.OrdinalIgnoreCase) => RouteConstraint.DateTime,
            _ => RouteConstraint.None,
        };
        return constraint != RouteConstraint.None;
    }

    /// <summary>The lower-case name used in patterns, e.g. "int"; empty for <see cref="RouteConstraint.None"/>.</summary>
    public static string ToName(RouteConstraint constraint) => constraint switch
    {
        RouteConstraint.None => "",
        RouteConstraint.Int => "int",
        RouteConstraint.Long => "long",
        RouteConstraint.Bool => "bool",
        RouteConstraint.Guid => "guid",
        RouteConstraint.Double => "double",
        RouteConstraint.Decimal => "decimal",
        RouteConstraint.Alpha => "alpha",
        RouteConstraint.DateTime => "datetime",
        _ => throw new ArgumentOutOfRangeException(nameof(constraint), constraint, "Unknown route constraint."),
    };
}
