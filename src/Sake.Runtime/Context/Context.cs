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
    private readonly IRequestHost _host;
    private readonly Range[] _routeValues = new Range[16];
    private int _routeValueCount;
    private Endpoint? _endpoint;
    private string _method = "GET";
    private string _path = "/";
    private Dictionary<string, string>? _routeValueMap;
    private Dictionary<string, object?>? _items;
    private CancellationTokenSource? _abortedSource;

    internal Context(IRequestHost host)
    {
        _host = host;
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
    public string Uri => _host.GetRawTarget();

    /// <summary>The raw query string without the leading '?', still encoded; empty when there is none.</summary>
    public string QueryString => _host.GetQueryString();

    /// <summary>The route pattern that matched, e.g. "/users/{id:int}", or null when no route matched.</summary>
    public string? RoutePattern => _endpoint?.Pattern;

    /// <summary>
    /// Per-request values shared between middleware and the handler. Cleared after each request. Values that
    /// must cross into a worker route (later issue) must be JSON primitives.
    /// </summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>True when the handler runs on a worker thread (a <c>.Worker()</c> route with the pool enabled).</summary>
    public bool InWorkerPool => _host.InWorkerPool;

    /// <summary>The number of worker threads, or 0 when <see cref="Config.EnableWorkerPool"/> is false.</summary>
    public int WorkerPoolSize => _host.Server.WorkerPoolSize;

    /// <summary>
    /// Signalled, on the event loop, when the request is abandoned: the client disconnected, the request
    /// exceeded <see cref="Config.RequestTimeout"/>, or the server is shutting down past its timeout.
    /// </summary>
    public CancellationToken Aborted => _abortedOverride ?? (_abortedSource ??= new CancellationTokenSource()).Token;

    /// <summary>On a worker, <see cref="Aborted"/> is the work item's token, cancelled by the loop.</summary>
    internal CancellationToken? _abortedOverride;

    /// <summary>The value of route parameter <paramref name="name"/>, or null when the route has no such parameter.</summary>
    public string? Param(string name)
    {
        if (_routeValueMap is not null)
        {
            return _routeValueMap.TryGetValue(name, out var value) ? value : null;
        }

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
    /// The value of route parameter <paramref name="name"/> as a span of the request path, without allocating a string
    /// (generated binding parses numbers, Guids and the like straight from it).
    /// </summary>
    /// <param name="name">The parameter's name (case-insensitive).</param>
    /// <param name="value">The value; empty when the route has no such parameter.</param>
    /// <returns>True when the route has the parameter.</returns>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Advanced)]
    public bool TryGetParamSpan(string name, out ReadOnlySpan<char> value)
    {
        if (_routeValueMap is not null)
        {
            bool found = _routeValueMap.TryGetValue(name, out var text);
            value = text;
            return found;
        }

        var names = _endpoint?.ParameterNames;
        if (names is not null)
        {
            for (int i = 0; i < names.Length && i < _routeValueCount; i++)
            {
                if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    value = _path.AsSpan(_routeValues[i]);
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// The first value of query parameter <paramref name="name"/>, decoded as application/x-www-form-urlencoded
    /// ('+' is a space); null when absent.
    /// </summary>
    public string? Query(string name) => _host.GetQuery(name);

    /// <summary>The value of request header <paramref name="name"/> (case-insensitive); repeated fields are joined with ", ".</summary>
    public string? Header(string name) => _host.GetHeader(name);

    /// <summary>Every request header as (name, value) pairs, in the order received.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders => _host.GetAllHeaders();

    /// <summary>Reads the whole request body (up to <see cref="Config.MaxRequestBodySize"/>); valid until the request ends.</summary>
    /// <exception cref="BadRequestException">The body is malformed, too large or too slow; let it propagate.</exception>
    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync() => _host.ReadBodyAsync();

    /// <summary>Reads the whole request body as UTF-8 text.</summary>
    public async ValueTask<string> ReadBodyStringAsync()
    {
        var body = await _host.ReadBodyAsync();
        return Encoding.UTF8.GetString(body.Span);
    }

    /// <summary>Reads the body as JSON with a source-generated <paramref name="typeInfo"/>; invalid JSON answers 400.</summary>
    public async ValueTask<T?> ReadJsonAsync<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var body = await _host.ReadBodyAsync();
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

    internal bool DetailedErrors => _host.Server.Config.DetailedErrors;

    internal Microsoft.Extensions.Logging.ILogger ServerLogger => _host.Server.Logger;

    /// <summary>Writes the matched route's parameters as JSON members (for the worker boundary), without a dictionary.</summary>
    internal void WriteRouteValues(System.Text.Json.Utf8JsonWriter writer)
    {
        if (_routeValueMap is not null)
        {
            foreach (var kv in _routeValueMap)
            {
                writer.WriteString(kv.Key, kv.Value);
            }
        }
        else if (_endpoint is not null)
        {
            var names = _endpoint.ParameterNames;
            for (int i = 0; i < names.Length && i < _routeValueCount; i++)
            {
                writer.WriteString(names[i], _path.AsSpan(_routeValues[i]));
            }
        }
    }

    internal Endpoint? Endpoint => _endpoint;

    internal ReadOnlySpan<byte> RawHeaderBlock => _host.GetRawHeaderBlock();

    internal Dictionary<string, object?>? ItemsOrNull => _items;

    internal void LoadItems(Dictionary<string, object?>? items)
    {
        _items?.Clear();
        if (items is not null)
        {
            foreach (var kv in items)
            {
                Items[kv.Key] = kv.Value;
            }
        }
    }

    internal void BeginRequest(string method, string path, Endpoint? endpoint, int routeValueCount, RequestHandler[] chain, Dictionary<string, string>? routeValueMap = null)
    {
        _method = method;
        _path = path;
        _routeValueMap = routeValueMap;
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
            _host.Server.Log.CallbackFailed(e);
        }
    }
}
