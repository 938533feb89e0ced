using Microsoft.CodeAnalysis;

namespace Sake.Analyzers.Infrastructure;

/// <summary>
/// Sake's types as the compilation sees them, resolved once per compilation. Null members mean the project does not
/// reference Sake.Runtime, and every analyzer then does nothing.
/// </summary>
internal sealed class SakeTypes
{
    private SakeTypes(Compilation compilation)
    {
        RouteGroup = compilation.GetTypeByMetadataName("Sake.RouteGroup");
        RouteBuilder = compilation.GetTypeByMetadataName("Sake.RouteBuilder");
        Context = compilation.GetTypeByMetadataName("Sake.Context");
        WorkerAttribute = compilation.GetTypeByMetadataName("Sake.WorkerAttribute");
        UseAttribute = compilation.GetTypeByMetadataName("Sake.UseAttribute");
        RouteAttributes = new[]
        {
            compilation.GetTypeByMetadataName("Sake.RouteAttribute"),
            compilation.GetTypeByMetadataName("Sake.GetAttribute"),
            compilation.GetTypeByMetadataName("Sake.PostAttribute"),
            compilation.GetTypeByMetadataName("Sake.PutAttribute"),
            compilation.GetTypeByMetadataName("Sake.DeleteAttribute"),
            compilation.GetTypeByMetadataName("Sake.PatchAttribute"),
        };
    }

    public INamedTypeSymbol? RouteGroup { get; }

    public INamedTypeSymbol? RouteBuilder { get; }

    public INamedTypeSymbol? Context { get; }

    public INamedTypeSymbol? WorkerAttribute { get; }

    public INamedTypeSymbol? UseAttribute { get; }

    /// <summary>[Route], [Get], [Post], [Put], [Delete], [Patch] (entries may be null in odd compilations).</summary>
    public INamedTypeSymbol?[] RouteAttributes { get; }

    /// <summary>True when the compilation references Sake.Runtime.</summary>
    public bool Available => RouteGroup is not null && RouteBuilder is not null && Context is not null;

    public static SakeTypes From(Compilation compilation) => new(compilation);

    /// <summary>True for [Route]/[Get]/[Post]/… attribute classes.</summary>
    public bool IsRouteAttribute(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return false;
        }

        foreach (var t in RouteAttributes)
        {
            if (SymbolEqualityComparer.Default.Equals(t, attributeClass))
            {
                return true;
            }
        }

        return false;
    }
}
