namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Every raw-byte conformance case, one class of cases per file; docs/conformance.md describes each class.
/// <see cref="StrictParsingTests"/> runs them over real sockets.
/// </summary>
internal static class ConformanceSuite
{
    public static readonly CaseTable Cases = new CaseTable()
        .Add("Request line", RequestLineCases.Add)
        .Add("Line endings", LineEndingCases.Add)
        .Add("Field lines", FieldCases.Add)
        .Add("Control characters", ControlCharacterCases.Add)
        .Add("Host", HostCases.Add)
        .Add("Target forms", TargetFormCases.Add)
        .Add("Path encoding", PathEncodingCases.Add)
        .Add("Framing", FramingCases.Add)
        .Add("Chunked", ChunkedCases.Add)
        .Add("Trailers", TrailerCases.Add)
        .Add("Connections and pipelining", ConnectionCases.Add)
        .Add("Expect", ExpectCases.Add)
        .Add("Upgrade", UpgradeCases.Add)
        .Add("Limits", LimitCases.Add);
}
