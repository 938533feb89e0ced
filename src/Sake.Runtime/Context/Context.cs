using System.Text;
using Sake.Http;
using Sake.Routing;

namespace Sake;

/// <summary>
/// One request and its response. A connection reuses its <see cref="Context"/> for each request it serves, so a
/// handler must not keep it after the handler's task completes. All members are meant to be used on the event
/// loop (or, for worker routes, on the worker that runs the handler).
/// </summary>
public sealed partial class Context
{
    private readonly Connection _connection;
    private readonly Range[] _routeValues = new Range[16];
    private int _routeValueCount;
    private Endpoint? _endpoint;
    private string _method = "GET";
    private string _path = "/";
    private int _queryStart;
    private int _queryLength;
    private Dictionary<string, object?>? _items;
    private CancellationTokenSource? _abortedSource;

    internal Context(Connection connection)
    {
        _connection = connection;
        _headers = new List<KeyValuePair<string, string>>();
    }

    /// <summary>The request method, e.g. "GET".</summary>
    public string Method => _method;

    /// <summary>
    /// The canonical path: percent-decoded once, dot segments removed. The router and every middleware see this
    /// same value, so an encoded or dotted path cannot slip past a prefix check.
    /// </summary>
    public string Path => _path;

    /// <summary>The request-target exactly as the client sent it (path and query, still encoded).</summary>
    public string Uri => _connection.GetRawTarget();

    /// <summary>The raw query string without the leading '?', still encoded; empty when there is none.</summary>
    public string QueryString => _queryLength == 0 ? string.Empty : _connection.GetRequestString(_queryStart, _queryLength);

    /// <summary>The route pattern that matched, e.g. "/users/{id:int}", or null when no route matched.</summary>
    public string? RoutePattern => _endpoint?.Pattern;

    /// <summary>
    /// Per-request values shared between middleware and the handler. Cleared after each request. Values that
    /// must cross into a worker route (later issue) must be JSON primitives.
    /// </summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>True when the handler runs on a worker thread (always false for loop routes).</summary>
    public bool InWorkerPool => false;

    /// <summary>The size of the worker pool, or 0 when the pool is disabled or absent.</summary>
    public int WorkerPoolSize => 0;

    /// <summary>
    /// Signalled, on the event loop, when the request is abandoned: the client disconnected, the request
    /// exceeded <see cref="Config.RequestTimeout"/>, or the server is shutting down past its timeout.
    /// </summary>
    public CancellationToken Aborted => (_abortedSource ??= new CancellationTokenSource()).Token;

    /// <summary>The value of route parameter <paramref name="name"/>, or null when the route has no such parameter.</summary>
    public string? Param(string name)
    {
        var names = _endpoint?.ParameterNames;
        if (names is null)
        {
            return null;
        }

        for (int i = 0; i < names.Length && i < _routeValueCount; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return _path[_routeValues[i]];
            }
        }

        return null;
    }

    /// <summary>
    /// The first value of query parameter <paramref name="name"/>, decoded as application/x-www-form-urlencoded
    /// ('+' is a space); null when absent.
    /// </summary>
    public string? Query(string name) =>
        _queryLength == 0 || _connection.IsClosed ? null : QueryStringParser.Find(_connection.RequestBytes.Slice(_queryStart, _queryLength), name);

    /// <summary>The value of request header <paramref name="name"/> (case-insensitive); repeated fields are joined with ", ".</summary>
    public string? Header(string name) => _connection.GetHeader(name);

    /// <summary>Every request header as (name, value) pairs, in the order received.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders => _connection.GetAllHeaders();

    /// <summary>Reads the whole request body (up to <see cref="Config.MaxRequestBodySize"/>); valid until the request ends.</summary>
    /// <exception cref="BadRequestException">The body is malformed, too large or too slow; let it propagate.</exception>
    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync() => _connection.ReadBodyAsync();

    /// <summary>Reads the whole request body as UTF-8 text.</summary>
    public async ValueTask<string> ReadBodyStringAsync()
    {
        var body = await _connection.ReadBodyAsync();
        return Encoding.UTF8.GetString(body.Span);
    }

    /// <summary>Reads the body as JSON with a source-generated <paramref name="typeInfo"/>; invalid JSON answers 400.</summary>
    public async ValueTask<T?> ReadJsonAsync<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var body = await _connection.ReadBodyAsync();
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(body.Span, typeInfo);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new BadRequestException(Sake.Http.Rejections.RejectReason.InvalidJsonBody);
        }
    }

    internal Span<Range> RouteValueBuffer => _routeValues;

    internal bool DetailedErrors => _connection.Server.Config.DetailedErrors;

    internal Microsoft.Extensions.Logging.ILogger ServerLogger => _connection.Server.Logger;

    internal void BeginRequest(string method, string path, int queryStart, int queryLength, Endpoint? endpoint, int routeValueCount, RequestHandler[] chain)
    {
        _method = method;
        _path = path;
        _queryStart = queryStart;
        _queryLength = queryLength;
        _endpoint = endpoint;
        _routeValueCount = routeValueCount;
        _chain = chain;
        _index = -1;
        _aborted = false;
        ResetResponse();
    }

    internal void EndRequest()
    {
        _items?.Clear();
        if (_abortedSource is not null && !_abortedSource.TryReset())
        {
            _abortedSource.Dispose();
            _abortedSource = null;
        }
    }

    /// <summary>Signals <see cref="Aborted"/>; runs on the loop so callbacks run there.</summary>
    internal void SignalAborted()
    {
        try
        {
            _abortedSource?.Cancel();
        }
        catch (AggregateException e)
        {
            _connection.Server.Log.CallbackFailed(e);
        }
    }
}
