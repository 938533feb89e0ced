namespace Sake.Testing;

/// <summary>One file the generator added to a compilation.</summary>
/// <param name="HintName">The generator's name for it, e.g. <c>Shop.Catalog.Routes.g.cs</c>.</param>
/// <param name="Source">Its text, as generated (not scrubbed).</param>
public sealed record GeneratedSource(string HintName, string Source);
