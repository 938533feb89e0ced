using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Sake.Generators.Model;

/// <summary>
/// Where a diagnostic points, as plain data: a <see cref="Location"/> holds a syntax tree, which would keep old
/// compilations alive and make every model unequal from one run to the next.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
