using System.Text;
using Sake.Generated;

namespace Sake.Routing;

/// <summary>
/// Maps (method, path) to an endpoint. Patterns are compiled at startup into one segment tree per
/// method; <see cref="Match"/> walks it with index arithmetic over the path and never allocates.
/// Not thread-safe for writes: all <see cref="Add"/> calls happen before the first <see cref="Match"/>.
/// </summary>
/// <typeparam name="T">The endpoint type stored at each route.</typeparam>
internal sealed class Router<T> where T : class
{
    // Up to this many literal children a linear scan beats hashing a case-insensitive span.
    private const int LinearLiteralLimit = 8;

    private readonly Node?[] _roots = new Node?[RouteMethods.Count];

    // Set by UseTable: the generated matcher answers instead of the tree (which stays for conflict checks).
    private GeneratedRouteTable? _table;
    private bool[] _registered = [];
    private T?[] _byId = [];
    private int[] _parameterCounts = [];

    /// <summary>The most parameters any registered pattern declares; <c>values</c> passed to
    /// <see cref="Match"/> must be at least this long (<see cref="RoutePattern.MaxParameterCount"/> always suffices).</summary>
    public int MaxParameterCount { get; private set; }

    /// <summary>The generated table that answers <see cref="Match"/>, or null when the tree does.</summary>
    public GeneratedRouteTable? Table => _table;

    /// <summary>
    /// Answers <see cref="Match"/> with <paramref name="table"/> when it knows every route added so far; the generated
    /// code walks the same precedence as the tree, restricted to the registered routes. Call after the last <see cref="Add"/>.
    /// </summary>
    /// <param name="table">A generated table.</param>
    /// <param name="routes">Every route added: method, exact pattern text, endpoint, parameter count.</param>
    /// <returns>False (and nothing changes) when a route is missing from the table.</returns>
    public bool UseTable(GeneratedRouteTable table, IReadOnlyList<(RouteMethod Method, string Pattern, T Endpoint, int ParameterCount)> routes)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(routes);
        var registered = new bool[table.Count];
        var byId = new T?[table.Count];
        var counts = new int[table.Count];
        foreach (var (method, pattern, endpoint, parameterCount) in routes)
        {
            int id = table.IdOf(method, pattern);
            if (id < 0)
            {
                return false;
            }

            registered[id] = true;
            byId[id] = endpoint;
            counts[id] = parameterCount;
        }

        _registered = registered;
        _byId = byId;
        _parameterCounts = counts;
        _table = table;
        return true;
    }

    /// <summary>Registers <paramref name="endpoint"/> for <paramref name="method"/> and <paramref name="pattern"/>.</summary>
    /// <returns>The parsed pattern, whose <see cref="RoutePattern.ParameterNames"/> give the meaning of captured values.</returns>
    /// <exception cref="ArgumentException">The pattern is invalid, or an equivalent one is already registered for the method.</exception>
    public RoutePattern Add(RouteMethod method, string pattern, T endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if ((uint)method >= RouteMethods.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown route method.");
        }

        RoutePattern parsed = RoutePattern.Parse(pattern);

        // Walk first and only create missing nodes: equivalent patterns share one terminal node,
        // which is how conflicts are found without comparing against every registered pattern.
        Node node = _roots[(int)method] ??= new Node();
        foreach (RouteSegment segment in parsed.Segments)
        {
            node = segment.Kind switch
            {
                RouteSegmentKind.Literal => node.GetOrAddLiteral(segment.Literal),
                RouteSegmentKind.Parameter => node.GetOrAddParameter(segment.Constraint),
                _ => node.CatchAll ??= new Node(),
            };
        }

        if (node.Pattern is not null)
        {
            string name = RouteMethods.ToName(method);
            throw new ArgumentException(
                $"Route {name} \"{parsed.Text}\" conflicts with {name} \"{node.Pattern.Text}\", which is already registered: they match the same paths.",
                nameof(pattern));
        }

        node.Endpoint = endpoint;
        node.Pattern = parsed;
        node.ParameterCount = parsed.ParameterNames.Length;
        MaxParameterCount = Math.Max(MaxParameterCount, node.ParameterCount);
        return parsed;
    }

    /// <summary>
    /// Finds the endpoint for <paramref name="method"/> and <paramref name="path"/>. At each segment a
    /// literal beats a constrained parameter, which beats an unconstrained one, which beats a catch-all;
    /// a branch that fails further down is abandoned for the next candidate. Never allocates.
    /// </summary>
    /// <param name="method">The request method. HEAD is not mapped to GET here; that is the caller's choice.</param>
    /// <param name="path">Decoded canonical absolute path, e.g. "/users/42". Matched strictly: "/a/" is not "/a".</param>
    /// <param name="values">Receives, per parameter in <see cref="RoutePattern.ParameterNames"/> order, its range in
    /// <paramref name="path"/>. A catch-all's range excludes the leading '/' and may be empty.</param>
    /// <param name="valueCount">How many entries of <paramref name="values"/> were written; 0 when there is no match.</param>
    /// <returns>The endpoint, or null.</returns>
    public T? Match(RouteMethod method, string path, Span<Range> values, out int valueCount)
    {
        if (path is null || path.Length == 0 || path[0] != '/')
        {
            throw new ArgumentException("The path must be an absolute path starting with '/'.", nameof(path));
        }

        if (values.Length < MaxParameterCount)
        {
            throw new ArgumentException(
                $"The values buffer holds {values.Length} ranges but a registered route has {MaxParameterCount} parameters.",
                nameof(values));
        }

        valueCount = 0;
        if ((uint)method >= RouteMethods.Count)
        {
            return null;
        }

        // The generated code may write a slot for any of its routes' parameters (up to the pattern limit), registered
        // or not; a caller's shorter buffer (enough for the registered routes) is answered by the tree instead.
        if (_table is { } table && values.Length >= RoutePattern.MaxParameterCount)
        {
            int id = table.Match((int)method, path, _registered, values);
            if (id < 0)
            {
                return null;
            }

            valueCount = _parameterCounts[id];
            return _byId[id];
        }

        Node? root = _roots[(int)method];
        if (root is null)
        {
            return null;
        }

        // "/" is zero segments, so start past its end; otherwise start at the '/' before the first segment.
        Node? hit = Walk(root, path, path.Length == 1 ? 1 : 0, values, 0);
        if (hit is null)
        {
            return null;
        }

        valueCount = hit.ParameterCount;
        return hit.Endpoint;
    }

    /// <summary>
    /// For a 405 answer: the methods under which <paramref name="path"/> matches, in the order
    /// GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS joined by ", ". HEAD is listed whenever GET matches
    /// because the server answers HEAD with the GET endpoint. Allocates; meant for the error path.
    /// </summary>
    /// <returns>False when no method matches (a 404).</returns>
    public bool TryGetAllowedMethods(string path, out string allow)
    {
        Span<Range> scratch = stackalloc Range[RoutePattern.MaxParameterCount];
        bool get = Match(RouteMethod.Get, path, scratch, out _) is not null;
        bool head = get || Match(RouteMethod.Head, path, scratch, out _) is not null;

        var builder = new StringBuilder();
        Append(builder, RouteMethod.Get, get);
        Append(builder, RouteMethod.Head, head);
        Append(builder, RouteMethod.Post, Match(RouteMethod.Post, path, scratch, out _) is not null);
        Append(builder, RouteMethod.Put, Match(RouteMethod.Put, path, scratch, out _) is not null);
        Append(builder, RouteMethod.Delete, Match(RouteMethod.Delete, path, scratch, out _) is not null);
        Append(builder, RouteMethod.Patch, Match(RouteMethod.Patch, path, scratch, out _) is not null);
        Append(builder, RouteMethod.Options, Match(RouteMethod.Options, path, scratch, out _) is not null);

        allow = builder.ToString();
        return allow.Length > 0;

        static void Append(StringBuilder builder, RouteMethod method, bool matched)
        {
            if (!matched)
            {
                return;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(RouteMethods.ToName(method));
        }
    }

    // pos is the index of the '/' that opens the next segment, or path.Length once every segment is
    // consumed. Recursion depth is bounded by the tree depth (pattern length), not by the request path.
    private static Node? Walk(Node node, string path, int pos, Span<Range> values, int valueIndex)
    {
        if (pos == path.Length)
        {
            if (node.Endpoint is not null)
            {
                return node;
            }

            // "/files" against "/files/{*rest}": the catch-all takes the empty rest.
            Node? tail = node.CatchAll;
            if (tail is not null)
            {
                values[valueIndex] = new Range(pos, pos);
            }

            return tail;
        }

        int start = pos + 1;
        int slash = path.AsSpan(start).IndexOf('/');
        int end = slash < 0 ? path.Length : start + slash;
        ReadOnlySpan<char> segment = path.AsSpan(start, end - start);

        // An empty segment ("/a//b", or the end of "/a/") can only be swallowed by a catch-all.
        if (!segment.IsEmpty)
        {
            Node? literal = node.FindLiteral(segment);
            if (literal is not null)
            {
                Node? hit = Walk(literal, path, end, values, valueIndex);
                if (hit is not null)
                {
                    return hit;
                }
            }

            Node[] parameters = node.Parameters;
            for (int i = 0; i < parameters.Length; i++)
            {
                Node parameter = parameters[i];
                if (RouteConstraints.Matches(parameter.Constraint, segment))
                {
                    values[valueIndex] = new Range(start, end);
                    Node? hit = Walk(parameter, path, end, values, valueIndex + 1);
                    if (hit is not null)
                    {
                        return hit;
                    }
                }
            }
        }

        Node? catchAll = node.CatchAll;
        if (catchAll is not null)
        {
            values[valueIndex] = new Range(start, path.Length);
        }

        return catchAll;
    }

    private sealed class Node
    {
        private Dictionary<string, Node>? _literalMap;
        private Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _literalLookup;

        /// <summary>Literal children; each child's <see cref="Literal"/> is its key.</summary>
        public Node[] Literals { get; private set; } = [];

        /// <summary>Parameter children, one per constraint, constrained ones first.</summary>
        public Node[] Parameters { get; private set; } = [];

        public Node? CatchAll { get; set; }

        public string Literal { get; private init; } = "";

        public RouteConstraint Constraint { get; private init; }

        public T? Endpoint { get; set; }

        public RoutePattern? Pattern { get; set; }

        public int ParameterCount { get; set; }

        public Node? FindLiteral(ReadOnlySpan<char> segment)
        {
            if (_literalMap is not null)
            {
                return _literalLookup.TryGetValue(segment, out Node? found) ? found : null;
            }

            Node[] literals = Literals;
            for (int i = 0; i < literals.Length; i++)
            {
                if (segment.Equals(literals[i].Literal, StringComparison.OrdinalIgnoreCase))
                {
                    return literals[i];
                }
            }

            return null;
        }

        public Node GetOrAddLiteral(string literal)
        {
            foreach (Node existing in Literals)
            {
                if (string.Equals(existing.Literal, literal, StringComparison.OrdinalIgnoreCase))
                {
                    return existing;
                }
            }

            var child = new Node { Literal = literal };
            Literals = [.. Literals, child];
            if (Literals.Length > LinearLiteralLimit)
            {
                _literalMap ??= new Dictionary<string, Node>(StringComparer.OrdinalIgnoreCase);
                foreach (Node node in Literals)
                {
                    _literalMap[node.Literal] = node;
                }

                _literalLookup = _literalMap.GetAlternateLookup<ReadOnlySpan<char>>();
            }

            return child;
        }

        public Node GetOrAddParameter(RouteConstraint constraint)
        {
            foreach (Node existing in Parameters)
            {
                if (existing.Constraint == constraint)
                {
                    return existing;
                }
            }

            var child = new Node { Constraint = constraint };
            Node[] parameters = [.. Parameters, child];

            // Constrained before unconstrained (None sorts last); between two constraints the enum
            // order decides (Int before Long, ...), so the outcome never depends on registration order.
            Array.Sort(parameters, static (a, b) => Rank(a.Constraint).CompareTo(Rank(b.Constraint)));
            Parameters = parameters;
            return child;

            static int Rank(RouteConstraint c) => c == RouteConstraint.None ? int.MaxValue : (int)c;
        }
    }
}
