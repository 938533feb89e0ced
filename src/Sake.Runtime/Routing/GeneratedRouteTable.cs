using System.ComponentModel;
using System.Runtime.CompilerServices;
using Sake.Routing;

namespace Sake.Generated;

/// <summary>
/// A route table compiled into the user's assembly by Sake's source generator: every route whose method and pattern
/// are compile-time constants, as straight-line matching code. At startup the app uses it instead of its runtime tree
/// when it knows every route the app registered; otherwise the runtime tree answers (same results, see
/// docs/generator.md). Not meant to be implemented by hand; public because generated code lives in the user's assembly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GeneratedRouteTable
{
    /// <summary>Method index of GET in <see cref="Match"/>.</summary>
    public const int Get = (int)RouteMethod.Get;

    /// <summary>Method index of POST.</summary>
    public const int Post = (int)RouteMethod.Post;

    /// <summary>Method index of PUT.</summary>
    public const int Put = (int)RouteMethod.Put;

    /// <summary>Method index of DELETE.</summary>
    public const int Delete = (int)RouteMethod.Delete;

    /// <summary>Method index of PATCH.</summary>
    public const int Patch = (int)RouteMethod.Patch;

    /// <summary>Method index of HEAD.</summary>
    public const int Head = (int)RouteMethod.Head;

    /// <summary>Method index of OPTIONS.</summary>
    public const int Options = (int)RouteMethod.Options;

    private static readonly object Gate = new();
    private static GeneratedRouteTable[] _registered = [];

    private readonly Dictionary<(RouteMethod, string), int> _ids;

    /// <summary>Creates the table; route <c>i</c> of the generated matcher is <c>routes[i]</c>.</summary>
    /// <param name="assemblyName">
    /// The assembly the table was generated for, for the startup log. Passed in rather than read through reflection,
    /// which would pull the reflection runtime into every NativeAOT binary.
    /// </param>
    /// <param name="routes">"METHOD pattern" per route id, e.g. "GET /users/{id:int}".</param>
    protected GeneratedRouteTable(string assemblyName, string[] routes)
    {
        ArgumentNullException.ThrowIfNull(assemblyName);
        ArgumentNullException.ThrowIfNull(routes);
        AssemblyName = assemblyName;
        _ids = new Dictionary<(RouteMethod, string), int>(routes.Length);
        for (int i = 0; i < routes.Length; i++)
        {
            string route = routes[i];
            int space = route.IndexOf(' ');
            if (space <= 0 || !RouteMethods.TryParse(System.Text.Encoding.ASCII.GetBytes(route[..space]), out var method))
            {
                throw new ArgumentException($"Route '{route}' is not 'METHOD pattern'.", nameof(routes));
            }

            _ids.Add((method, route[(space + 1)..]), i);
        }
    }

    /// <summary>The assembly the table was generated for.</summary>
    public string AssemblyName { get; }

    /// <summary>How many routes the table holds (ids are 0 to Count - 1).</summary>
    public int Count => _ids.Count;

    /// <summary>Tables registered by generated module initializers, in registration order.</summary>
    internal static GeneratedRouteTable[] Registered => Volatile.Read(ref _registered);

    /// <summary>Called once per assembly by a generated module initializer.</summary>
    /// <param name="table">The assembly's table.</param>
    public static void Register(GeneratedRouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (Gate)
        {
            _registered = [.. _registered, table];
        }
    }

    /// <summary>
    /// Finds the route for <paramref name="method"/> and <paramref name="path"/> among those whose
    /// <paramref name="registered"/> flag is set, with exactly the runtime router's precedence and captures.
    /// </summary>
    /// <param name="method">One of the method constants.</param>
    /// <param name="path">Decoded canonical absolute path.</param>
    /// <param name="registered">Per route id: whether the app registered that route.</param>
    /// <param name="values">Receives each parameter's range in <paramref name="path"/>, in pattern order.</param>
    /// <returns>The route id, or -1.</returns>
    public abstract int Match(int method, string path, ReadOnlySpan<bool> registered, Span<Range> values);

    /// <summary>The id of the route registered as <paramref name="method"/> <paramref name="pattern"/> (exact text), or -1.</summary>
    internal int IdOf(RouteMethod method, string pattern) => _ids.TryGetValue((method, pattern), out int id) ? id : -1;

    /// <summary>Where the segment starting at <paramref name="start"/> ends: the next '/' or the end of the path.</summary>
    /// <param name="path">The path.</param>
    /// <param name="start">Index just past a '/'.</param>
    /// <returns>The end index (exclusive).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static int SegmentEnd(string path, int start)
    {
        int slash = path.AsSpan(start).IndexOf('/');
        return slash < 0 ? path.Length : start + slash;
    }

    /// <summary>The <c>int</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsInt(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Int, s);

    /// <summary>The <c>long</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsLong(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Long, s);

    /// <summary>The <c>bool</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsBool(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Bool, s);

    /// <summary>The <c>guid</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsGuid(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Guid, s);

    /// <summary>The <c>double</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsDouble(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Double, s);

    /// <summary>The <c>decimal</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsDecimal(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Decimal, s);

    /// <summary>The <c>alpha</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsAlpha(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.Alpha, s);

    /// <summary>The <c>datetime</c> constraint.</summary>
    /// <param name="s">The segment.</param>
    /// <returns>Whether the segment satisfies it.</returns>
    protected static bool IsDateTime(ReadOnlySpan<char> s) => RouteConstraints.Matches(RouteConstraint.DateTime, s);
}
