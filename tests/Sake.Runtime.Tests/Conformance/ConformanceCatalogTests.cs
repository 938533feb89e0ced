namespace Sake.Runtime.Tests.Conformance;

/// <summary>The suite's own promises: enough cases, each citing its RFC section (checked as the tables are built), none twice.</summary>
public sealed class ConformanceCatalogTests
{
    [Fact]
    public void TheSuiteHasAtLeast150DistinctCitedCases()
    {
        var cases = ConformanceSuite.Cases;
        int total = cases.Rejected.Count() + cases.Accepted.Count() + cases.Exchanges.Count();
        Assert.Equal(total, cases.Names.Count);
        Assert.Equal(total, cases.PerClass.Values.Sum());
        Assert.True(total >= 150, $"only {total} conformance cases");
        Assert.All(cases.Names, name => Assert.StartsWith("RFC ", name, StringComparison.Ordinal));
    }
}
