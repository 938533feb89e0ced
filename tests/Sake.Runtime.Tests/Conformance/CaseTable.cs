using System.Text.RegularExpressions;
using After = Sake.Runtime.Tests.Conformance.StrictParsingTests.After;
using Limits = Sake.Runtime.Tests.Conformance.StrictParsingTests.Limits;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// Collects conformance cases into the three theory tables <see cref="StrictParsingTests"/> runs. Every case cites the
/// RFC section it is derived from; the citation becomes the start of the case's name, so a failing case names its
/// section. Names must be distinct: a duplicate throws while the tables are built.
/// </summary>
internal sealed partial class CaseTable
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perClass = new(StringComparer.Ordinal);
    private string _class = "";

    /// <summary>A request the server must refuse with one status, Connection: close and a close, serving nothing inside it.</summary>
    public TheoryData<string, string, int, Limits> Rejected { get; } = new();

    /// <summary>A request (or pipelined requests) the server must answer 200 with the given bodies, keeping the connection.</summary>
    public TheoryData<string, string, string[], Limits> Accepted { get; } = new();

    /// <summary>A conversation: the replies in order, then whether the connection stays open, and how many /hit were served.</summary>
    public TheoryData<string, string, string[], After, int, Limits> Exchanges { get; } = new();

    /// <summary>Case count per class (the file that added it), for docs/conformance.md.</summary>
    public IReadOnlyDictionary<string, int> PerClass => _perClass;

    public IReadOnlyCollection<string> Names => _names;

    /// <summary>Adds the cases of one class; <paramref name="add"/> is that class's table method.</summary>
    public CaseTable Add(string className, Action<CaseTable> add)
    {
        _class = className;
        add(this);
        return this;
    }

    public void Reject(string rfc, string name, string request, int status, Limits limits = Limits.Default) =>
        Rejected.Add(Name(rfc, name), request, status, limits);

    public void Accept(string rfc, string name, string request, string[] bodies, Limits limits = Limits.Default) =>
        Accepted.Add(Name(rfc, name), request, bodies, limits);

    /// <summary>
    /// <paramref name="replies"/>: one per expected response, "STATUS", "STATUS|BODY" or "STATUS|BODY|Name: value"
    /// (a header the response must carry), prefixed "HEAD " for a response to HEAD (no body on the wire).
    /// </summary>
    public void Exchange(string rfc, string name, string request, string[] replies, After after, int hits, Limits limits = Limits.Default) =>
        Exchanges.Add(Name(rfc, name), request, replies, after, hits, limits);

    private string Name(string rfc, string name)
    {
        if (!Citation().IsMatch(rfc))
        {
            throw new InvalidOperationException($"'{name}': '{rfc}' is not a citation like 'RFC 9112 §3.2'.");
        }

        string full = rfc + ": " + name;
        if (!_names.Add(full))
        {
            throw new InvalidOperationException("Duplicate conformance case: " + full);
        }

        _perClass[_class] = _perClass.GetValueOrDefault(_class) + 1;
        return full;
    }

    [GeneratedRegex(@"^RFC \d{4} §\d+(\.\d+)*$")]
    private static partial Regex Citation();
}
