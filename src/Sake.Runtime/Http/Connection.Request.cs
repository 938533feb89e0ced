using System.Runtime.CompilerServices;
using System.Text;
using Sake.Http.Parsing;
using Sake.Http.Protocol;
using Sake.Http.Rejections;
using Sake.Routing;

namespace Sake.Http;

internal sealed partial class Connection
{
    private bool _requestKeepAlive;
    private bool _isHead;
    private bool _streaming;
    private bool _streamChunked;
    private bool _streamBodyless;
    private int _queryStart;
    private int _queryLength;

    // The current request's metrics, kept on the connection so every way a request can end (response, timeout,
    // client gone, connection failure) ends them exactly once: see BeginRequestMetrics / EndRequestMetrics.
    private bool _metricsPending;
    private bool _metricsActive;
    private long _metricsStart;
    private string _metricsMethod = string.Empty;
    private string? _metricsRoute;

    /// <summary>Runs one parsed request through routing and its handler chain; returns whether to keep the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ProcessRequestAsync()
    {
        var head = _head;
        string method = MethodString(head);
        BeginRequestMetrics(method);
        _requestDeadline = Now + Server.Ticks(Server.Config.RequestTimeout);
        ResponseStarted = false;
        _streaming = false;
        _isHead = head.Method == HttpMethodKind.Head;
        _requestKeepAlive = (head.VersionMinor == 1 ? !head.ConnectionClose : head.ConnectionKeepAlive && !head.ConnectionClose) && !Server.Draining;

        if (head.ContentLength > Server.Config.MaxRequestBodySize)
        {
            await RejectAsync(RejectReason.BodyTooLarge, _isHead).ConfigureAwait(false);
            return false;
        }

        BeginBody(head);
        var target = RequestBytes.Slice(head.TargetStart, head.TargetLength);
        if (_pathScratch.Length < target.Length)
        {
            _pathScratch = new byte[Math.Max(target.Length, _pathScratch.Length * 2)];
        }

        var reason = RequestTarget.Canonicalize(target, _pathScratch, out int pathLength, out int queryInTarget);
        if (reason != RejectReason.None)
        {
            await RejectAsync(reason, _isHead).ConfigureAwait(false);
            return false;
        }

        string path = PathString(_pathScratch.AsSpan(0, pathLength));
        int queryStart = queryInTarget < 0 ? 0 : head.TargetStart + queryInTarget;
        int queryLength = queryInTarget < 0 ? 0 : head.TargetLength - queryInTarget;
        RequestHandler[] chain;
        Endpoint? endpoint = null;
        int valueCount = 0;
        if (pathLength == 1 && _pathScratch[0] == (byte)'*')
        {
            chain = Server.AsteriskChain;
        }
        else
        {
            endpoint = Match(head.Method, path, out valueCount);
            chain = endpoint?.Chain ?? Server.FallbackChain;
            _metricsRoute = endpoint?.Pattern;
        }

        _queryStart = queryStart;
        _queryLength = queryLength;
        _context.BeginRequest(method, path, endpoint, valueCount, chain);
        _state = ConnectionState.InHandler;
        _handlerActive = true;
        try
        {
            var pending = RunChain();
            if (!pending.IsCompletedSuccessfully)
            {
                // Not the loop's context capture: a pooled ValueTask that captured it would post even when it
                // completes on the loop; this resumes inline there and hops back only if user code left the loop.
                try
                {
                    await pending.ConfigureAwait(false);
                }
                finally
                {
                    await Server.Loop.ResumeOnLoop();
                }
            }
        }
        catch (Exception e) when (!_timedOut && !_closed)
        {
            if (!HandleHandlerException(e))
            {
                EndRequestMetrics(ResponseStarted ? _context.StatusCode : 0);
                return false;
            }
        }
        catch when (_timedOut || _closed)
        {
            // The late outcome of a request that already got its 504, or whose client is gone, is dropped.
        }
        finally
        {
            _handlerActive = false;
        }

        if (_timedOut || _closed)
        {
            return false;
        }

        _state = ConnectionState.InHandler;
        bool keepAlive = _requestKeepAlive && !_context.CloseRequested && !Server.Draining;
        if (!_bodyComplete && head.ExpectContinue && !_sent100)
        {
            // The client is still waiting for 100 Continue; it may or may not send the body. Close instead of guessing.
            keepAlive = false;
        }

        FinishResponse(keepAlive);
        EndRequestMetrics(_context.StatusCode);
        _context.EndRequest();
        if (keepAlive && !_bodyComplete)
        {
            keepAlive = await DrainBodyAsync().ConfigureAwait(false);
        }

        return keepAlive && !_closed;
    }

    /// <summary>
    /// Counts the request as active and notes its start, each only if a listener wants it now: the end must undo
    /// exactly what the start did, even if a listener attaches or leaves in between. With no listener this is two
    /// <c>Enabled</c> reads and some field stores: no clock read, no allocation.
    /// </summary>
    private void BeginRequestMetrics(string method)
    {
        var metrics = Server.Metrics;
        _metricsPending = true;
        _metricsMethod = method;
        _metricsRoute = null;
        _metricsActive = metrics.ActiveRequestsEnabled;
        if (_metricsActive)
        {
            metrics.RequestStarted(method);
        }

        _metricsStart = metrics.StartTimestamp();
    }

    /// <summary>Ends the current request's metrics once; <paramref name="status"/> 0 = no response was sent.</summary>
    private void EndRequestMetrics(int status)
    {
        if (!_metricsPending)
        {
            return;
        }

        _metricsPending = false;
        if (_metricsActive || _metricsStart != 0)
        {
            Server.Metrics.RequestStopped(_metricsActive, _metricsStart, _metricsMethod, _metricsRoute, _head.VersionMinor, status);
        }
    }

    /// <summary>
    /// Starts the handler chain under this connection's synchronization context, so the handler's awaits capture it
    /// and every continuation posted back to the loop is attributed to this connection (blocked-loop detector).
    /// </summary>
    private ValueTask RunChain()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        try
        {
            return _context.Next();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private Endpoint? Match(HttpMethodKind method, string path, out int valueCount)
    {
        valueCount = 0;
        if (method > HttpMethodKind.Options)
        {
            return null;
        }

        // HttpMethodKind's first seven values mirror RouteMethod, so the routable ones convert by cast.
        var routeMethod = (RouteMethod)method;
        var values = _context.RouteValueBuffer;
        var endpoint = Server.Router.Match(routeMethod, path, values, out valueCount);

        // HEAD is answered by the GET endpoint unless one is registered for HEAD (RFC 9110 §9.3.2).
        return endpoint is null && routeMethod == RouteMethod.Head
            ? Server.Router.Match(RouteMethod.Get, path, values, out valueCount)
            : endpoint;
    }

    private static string MethodString(RequestHead head) => head.Method switch
    {
        HttpMethodKind.Get => "GET",
        HttpMethodKind.Post => "POST",
        HttpMethodKind.Put => "PUT",
        HttpMethodKind.Delete => "DELETE",
        HttpMethodKind.Patch => "PATCH",
        HttpMethodKind.Head => "HEAD",
        HttpMethodKind.Options => "OPTIONS",
        HttpMethodKind.Trace => "TRACE",
        _ => "CONNECT",
    };

    /// <summary>Reuses the previous request's path string when the bytes are the same (keep-alive clients repeat paths).</summary>
    private string PathString(ReadOnlySpan<byte> canonical)
    {
        if (canonical.Length == _lastPathLength && canonical.SequenceEqual(_lastPathBytes.AsSpan(0, _lastPathLength)))
        {
            return _lastPath;
        }

        string path = Encoding.UTF8.GetString(canonical);
        if (canonical.Length <= _lastPathBytes.Length)
        {
            canonical.CopyTo(_lastPathBytes);
            _lastPathLength = canonical.Length;
            _lastPath = path;
        }

        return path;
    }

    /// <summary>Returns false when the connection must close without a further response.</summary>
    private bool HandleHandlerException(Exception e)
    {
        if (e is BadRequestException bad)
        {
            if (Rejection.ClosesConnection(bad.Reason))
            {
                _requestKeepAlive = false;
            }

            if (ResponseStarted)
            {
                return false;
            }

            _context.ResetResponse();
            _context.Status(bad.StatusCode);
            _context.Text(bad.Message);
            return true;
        }

        Server.Log.HandlerFailed(_context.Method, _context.Path, e);
        if (ResponseStarted)
        {
            // Half a response is on the wire; the only honest signal left is to cut the connection.
            return false;
        }

        _context.ResetResponse();
        _context.Status(500);
        _context.WriteErrorJson(ErrorMessage(e, Server.Config.DetailedErrors));
        return true;
    }

    /// <summary>
    /// The 500 body's message: the exception's only with DetailedErrors, except a worker-boundary failure, whose
    /// message describes the app's structure (which Items value cannot cross), not request data.
    /// </summary>
    internal static string ErrorMessage(Exception e, bool detailed) =>
        detailed || e is Sake.Workers.WorkerBoundaryException ? e.Message : "Internal Server Error";

    private void FinishResponse(bool keepAlive)
    {
        if (_streaming)
        {
            if (_streamChunked && !_streamBodyless)
            {
                _out.Write(HttpBytes.LastChunk);
            }

            return;
        }

        int status = _context.StatusCode;
        var body = _context.ResponseBody;
        WriteHead(status, body.Length, chunked: false, keepAlive);
        if (!_isHead && AllowsBody(status))
        {
            _out.Write(body);
        }

        ResponseStarted = true;
    }

    private static bool AllowsBody(int status) => status >= 200 && status != 204 && status != 304;

    private void WriteHead(int status, long contentLength, bool chunked, bool keepAlive)
    {
        _out.Write(StatusLines.Get(status));
        var kind = _context.ResponseContentKind;
        if (kind != Context.ContentKind.None)
        {
            _out.Write(HttpBytes.ContentTypePrefix);
            switch (kind)
            {
                case Context.ContentKind.Text: _out.Write(HttpBytes.TextPlainUtf8); break;
                case Context.ContentKind.Json: _out.Write(HttpBytes.JsonUtf8); break;
                case Context.ContentKind.Html: _out.Write(HttpBytes.HtmlUtf8); break;
                default: WriteUtf8(_context.ResponseContentType ?? "application/octet-stream"); break;
            }

            _out.Write(HttpBytes.CrLf);
        }

        if (chunked)
        {
            _out.Write(HttpBytes.ChunkedHeader);
        }
        else if (contentLength >= 0 && status >= 200 && status != 204)
        {
            WriteContentLength(contentLength);
        }

        _out.Write(Server.Date.HeaderLine);
        _out.Write(HttpBytes.ServerHeader);
        if (!keepAlive)
        {
            _out.Write(HttpBytes.ConnectionClose);
        }
        else if (_head.VersionMinor == 0)
        {
            _out.Write(HttpBytes.ConnectionKeepAlive);
        }

        var headers = _context.ResponseHeaders;
        for (int i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            WriteAscii(h.Key);
            _out.Write(": "u8);
            WriteUtf8(h.Value);
            _out.Write(HttpBytes.CrLf);
        }

        _out.Write(HttpBytes.CrLf);
    }

    /// <summary>Streams part of a response body (see <see cref="Context.WriteAsync"/>).</summary>
    public ValueTask WriteStreamingAsync(Context context, ReadOnlyMemory<byte> data)
    {
        if (_timedOut || _closed)
        {
            return default;
        }

        if (!ResponseStarted)
        {
            int status = _context.StatusCode;
            _streaming = true;
            _streamBodyless = _isHead || !AllowsBody(status);
            _streamChunked = _head.VersionMinor == 1 && AllowsBody(status);
            if (_head.VersionMinor == 0 && !_streamBodyless)
            {
                // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
                _requestKeepAlive = false;
            }

            // HEAD gets the headers GET would get (chunked included) and no body, and so no terminator either.
            WriteHead(status, _streamBodyless && !_isHead ? 0 : -1, _streamChunked, _requestKeepAlive);
            ResponseStarted = true;
            var buffered = _context.ResponseBody;
            if (!buffered.IsEmpty && !_streamBodyless)
            {
                WriteChunk(buffered);
            }
        }

        if (!data.IsEmpty && !_streamBodyless)
        {
            WriteChunk(data.Span);
        }

        var flush = FlushAsync();
        if (flush.IsCompletedSuccessfully)
        {
            return flush.Result ? default : ClientGone();
        }

        return AwaitFlush(flush);
    }

    private async ValueTask AwaitFlush(ValueTask<bool> flush)
    {
        if (!await flush.ConfigureAwait(false))
        {
            await ClientGone().ConfigureAwait(false);
        }
    }

    /// <summary>A streamed write the client can no longer receive: close and tell the handler, as Kestrel does.</summary>
    private ValueTask ClientGone()
    {
        Close();
        return ValueTask.FromException(new IOException("The client disconnected; the response cannot be written."));
    }

    private void WriteChunk(ReadOnlySpan<byte> data)
    {
        if (_streamChunked)
        {
            var span = _out.GetSpan(16);
            data.Length.TryFormat(span, out int written, "x");
            span[written] = HttpBytes.CR;
            span[written + 1] = HttpBytes.LF;
            _out.Advance(written + 2);
            _out.Write(data);
            _out.Write(HttpBytes.CrLf);
        }
        else
        {
            _out.Write(data);
        }
    }

    /// <summary>The raw request-target as sent.</summary>
    public string GetRawTarget() => Detached ? string.Empty : Encoding.ASCII.GetString(RequestBytes.Slice(_head.TargetStart, _head.TargetLength));

    public string GetQueryString() => Detached || _queryLength == 0 ? string.Empty : Encoding.ASCII.GetString(RequestBytes.Slice(_queryStart, _queryLength));

    public string? GetQuery(string name) =>
        Detached || _queryLength == 0 ? null : QueryStringParser.Find(RequestBytes.Slice(_queryStart, _queryLength), name);

    public string? GetHeader(string name)
    {
        // After a timeout or close (a handler outliving its request) the input buffer no longer holds the request.
        if (Detached)
        {
            return null;
        }

        var bytes = RequestBytes;
        string? result = null;
        for (int i = 0; i < _head.HeaderCount; i++)
        {
            ref var h = ref _head.Headers[i];
            if (h.NameLength == name.Length && Ascii.EqualsIgnoreCase(bytes.Slice(h.NameStart, h.NameLength), name))
            {
                string value = Encoding.UTF8.GetString(bytes.Slice(h.ValueStart, h.ValueLength));
                result = result is null ? value : result + ", " + value;
            }
        }

        return result;
    }

    public ReadOnlySpan<byte> GetRawHeaderBlock()
    {
        if (Detached)
        {
            return default;
        }

        var head = RequestBytes.Slice(0, _head.Length);
        int start = head.IndexOf(HttpBytes.LF) + 1;
        return head.Slice(start, head.Length - start - 2);
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetAllHeaders()
    {
        if (Detached)
        {
            return [];
        }

        var bytes = RequestBytes;
        var list = new List<KeyValuePair<string, string>>(_head.HeaderCount);
        for (int i = 0; i < _head.HeaderCount; i++)
        {
            ref var h = ref _head.Headers[i];
            list.Add(new(Encoding.ASCII.GetString(bytes.Slice(h.NameStart, h.NameLength)), Encoding.UTF8.GetString(bytes.Slice(h.ValueStart, h.ValueLength))));
        }

        return list;
    }
}
