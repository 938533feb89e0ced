using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Sake.Http.Bodies;
using Sake.Http.Parsing;
using Sake.Http.Protocol;
using Sake.Http.Rejections;
using Sake.Http.Responses;
using Sake.Hosting;
using Sake.Loop;

namespace Sake.Http;

/// <summary>
/// One client connection: a task on the event loop that reads requests, runs their handler chains one after
/// another (so pipelined responses stay in order) and writes responses. Every member runs on the loop thread.
/// </summary>
/// <remarks>
/// Awaits on the connection's own operations use <c>ConfigureAwait(false)</c>: those operations always complete on
/// the loop, so the continuation runs inline there; capturing the loop's context would instead post every resume
/// through its queue (an allocation and a queue round trip per request). The one await on user code (the handler
/// chain) keeps the context, so a handler that finished on another thread still brings the connection back.
/// </remarks>
internal sealed partial class Connection : IPollable, IRequestHost
{
    private const int InitialInputSize = 4096;
    private const int Eof = 0;
    private const int Failed = -1;
    private const int TimedOut = -2;

    /// <summary>
    /// Pipelined responses are batched into one send, but only up to this much: past it the connection sends (and
    /// waits for the client to read) before it parses the next request, so a client that pipelines requests and
    /// never reads cannot make the server buffer responses without bound.
    /// </summary>
    private const int MaxBufferedOutput = 64 * 1024;

    private readonly HttpServer _server;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly ReadinessSource _readReady = new();
    private readonly ReadinessSource _writeReady = new();
    private readonly RequestHead _head = new();
    private readonly Context _context;
    private readonly LoopSynchronizationContext _syncContext;
    private readonly PooledBufferWriter _out;
    private int _outSent;
    private long _totalSent;
    private long _flushWaitStartTicks;
    private long _flushWaitStartSent;
    private bool _handlerActive;
    private byte[] _in;
    private int _inStart;
    private int _inEnd;
    private int _reqStart;
    private int _headLength;
    private HeadScanner _scanner;
    private int _slot = -1;
    private ConnectionState _state;
    private long _deadline;
    private long _requestDeadline;
    private RejectReason _timeoutReason;
    private bool _evicted;
    private bool _closed;
    private bool _timedOut;
    private bool _servedOne;
    private byte[] _pathScratch = new byte[256];
    private byte[] _lastPathBytes = new byte[256];
    private int _lastPathLength = -1;
    private string _lastPath = "/";

    public Connection(HttpServer server, Socket socket)
    {
        _server = server;
        _socket = socket;
        _fd = (int)socket.Handle;
        _in = [];
        _out = new PooledBufferWriter(InitialInputSize, server.Buffers);
        _context = new Context(this);
        _syncContext = new LoopSynchronizationContext(server.Loop, this);
        _scanner.Reset();
    }

    /// <summary>Position in the server's connection list (swap-remove bookkeeping).</summary>
    public int ListIndex { get; set; } = -1;

    public bool IsIdle => _state == ConnectionState.Idle && _inEnd == _inStart;

    public HttpServer Server => _server;

    public bool InWorkerPool => false;

    public LoopBufferPool? Buffers => _server.Buffers;

    public bool ResponseStarted { get; private set; }

    /// <summary>The current request's bytes from its first byte; header and target offsets index into this.</summary>
    public ReadOnlySpan<byte> RequestBytes => _in.AsSpan(_reqStart, _inEnd - _reqStart);

    /// <summary>After a timeout or close the request's bytes are gone (reused by lingering or returned).</summary>
    private bool Detached => _closed || _timedOut;

    private long Now => System.Diagnostics.Stopwatch.GetTimestamp();

    public void Start(bool reject)
    {
        _slot = Server.Loop.Register(_fd, this);
        _state = ConnectionState.ReadingHead;
        _deadline = Now + Server.Ticks(Server.Config.RequestHeadersTimeout);
        _ = reject ? RejectConnectionAsync() : RunAsync();
    }

    public void OnEvents(uint events)
    {
        if (_handlerActive)
        {
            // Handler code resumed by a readiness edge (a body read) keeps capturing this connection's context.
            SynchronizationContext.SetSynchronizationContext(_syncContext);
            try
            {
                SignalEvents(events);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(Server.Loop.SynchronizationContext);
            }
        }
        else
        {
            SignalEvents(events);
        }
    }

    /// <summary>
    /// For the blocked-loop detector, on its own thread while the loop is stuck in this connection's work item:
    /// "GET /fib/{n}" in a matched handler, "GET /raw/path (no route)" in the fallback chain, "no route" otherwise.
    /// The reads race with the loop only when the loop is not stuck, and then the text is merely stale.
    /// </summary>
    public string DescribeCurrentRequest()
    {
        if (!_handlerActive)
        {
            return "no route";
        }

        return _context.RoutePattern is { } pattern ? $"{_context.Method} {pattern}" : $"{_context.Method} {_context.Path} (no route)";
    }

    private void SignalEvents(uint events)
    {
        if ((events & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0)
        {
            _readReady.Signal();
        }

        if ((events & (Libc.EPOLLOUT | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0)
        {
            _writeReady.Signal();
        }

        if ((events & (Libc.EPOLLHUP | Libc.EPOLLERR)) != 0 && _state is ConnectionState.InHandler or ConnectionState.ReadingBody)
        {
            // The client is gone in both directions: tell the handler (half-close alone is not an abort).
            _context.SignalAborted();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_closed)
            {
                int headLength = await ReadHeadAsync().ConfigureAwait(false);
                if (headLength <= 0)
                {
                    return;
                }

                var reason = RequestParser.Parse(_in.AsSpan(_reqStart, headLength), _head);
                if (reason != RejectReason.None)
                {
                    await RejectAsync(reason).ConfigureAwait(false);
                    return;
                }

                _inStart = _reqStart + headLength;
                _headLength = headLength;
                bool keepAlive = await ProcessRequestAsync().ConfigureAwait(false);
                if (_timedOut || _closed)
                {
                    return;
                }

                _servedOne = true;
                _reqStart = _inStart;
                _headLength = 0;
                _scanner.Reset();
                if (!keepAlive)
                {
                    await CloseGracefullyAsync().ConfigureAwait(false);
                    return;
                }

                _state = ConnectionState.Idle;
                _deadline = Now + Server.Ticks(Server.Config.KeepAliveTimeout);
            }
        }
        catch (Exception e)
        {
            Server.Log.ConnectionFailed(e);
        }
        finally
        {
            if (!_timedOut)
            {
                Close();
            }
        }
    }

    /// <summary>
    /// Waits until a whole head is buffered. Returns its length, 0 when the connection ended (closed quietly), or
    /// -1 after a rejection was sent.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadHeadAsync()
    {
        while (true)
        {
            if (_out.Length - _outSent >= MaxBufferedOutput && !await FlushAsync().ConfigureAwait(false))
            {
                return 0;
            }

            if (!_scanner.Started)
            {
                SkipLeadingCrLf();
            }

            // A lone CR may be the first half of an empty line split across reads: wait for its LF.
            bool loneCr = !_scanner.Started && _inEnd - _reqStart == 1 && _in[_reqStart] == HttpBytes.CR;
            if (_inEnd > _reqStart && !loneCr)
            {
                if (_state == ConnectionState.Idle)
                {
                    _state = ConnectionState.ReadingHead;
                    _deadline = Now + Server.Ticks(Server.Config.RequestHeadersTimeout);
                }

                int length = _scanner.FindEnd(_in.AsSpan(_reqStart, _inEnd - _reqStart), Server.Config, out var reason);
                if (length > 0)
                {
                    _state = ConnectionState.InHandler;
                    return length;
                }

                if (length < 0)
                {
                    await RejectAsync(reason).ConfigureAwait(false);
                    return -1;
                }
            }

            if (_out.Length > _outSent && !await FlushAsync().ConfigureAwait(false))
            {
                return 0;
            }

            if (Server.Draining && _inEnd == _reqStart)
            {
                return 0;
            }

            if (_inEnd == _reqStart)
            {
                // Idle between requests: hold no buffers while waiting (10,000 idle keep-alive connections would
                // otherwise pin 80 MiB); the next read peeks first and rents only when bytes are there.
                ReleaseIdleBuffers();
            }

            int n = await ReceiveAsync().ConfigureAwait(false);
            if (n == TimedOut)
            {
                if (_evicted || _inEnd == _reqStart)
                {
                    return 0;
                }

                await RejectAsync(_timeoutReason).ConfigureAwait(false);
                return -1;
            }

            if (n <= 0)
            {
                return 0;
            }
        }
    }

    private void SkipLeadingCrLf()
    {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
        while (_inEnd - _reqStart >= 2 && _in[_reqStart] == HttpBytes.CR && _in[_reqStart + 1] == HttpBytes.LF)
        {
            _reqStart += 2;
        }

        _inStart = _reqStart;
        if (_inStart == _inEnd)
        {
            _inStart = _inEnd = _reqStart = 0;
        }
    }

    private void ReleaseIdleBuffers()
    {
        _out.Release();
        _context.ReleaseIdleBuffers();
        _bodyBuffer?.Clear();
        _bodyBuffer?.Release();
        if (_in.Length > 0 && _inEnd == _reqStart)
        {
            Server.Buffers.Return(_in);
            _in = [];
            _inStart = _inEnd = _reqStart = 0;
        }
    }

    /// <summary>True while any pooled buffer is held (diagnostics: idle connections should hold none).</summary>
    public bool HoldsBuffers => _in.Length > 0 || _out.HoldsBuffer || _context.HoldsBuffers || _bodyBuffer?.HoldsBuffer == true;

    /// <summary>Receives into the input buffer. Returns bytes read, <see cref="Eof"/>, <see cref="Failed"/> or <see cref="TimedOut"/>.</summary>
    private ValueTask<int> ReceiveAsync()
    {
        if (_closed)
        {
            return new ValueTask<int>(Failed);
        }

        if (_in.Length == 0)
        {
            // Without a buffer, ask the kernel first whether anything is there, and rent only if so.
            int peek = PeekReadable();
            if (peek == int.MinValue)
            {
                return WaitAndReceiveAsync();
            }

            if (peek <= 0)
            {
                return new ValueTask<int>(peek == 0 ? Eof : Failed);
            }
        }

        EnsureInputSpace();
        int n = TryReceive();
        return n == int.MinValue ? WaitAndReceiveAsync() : new ValueTask<int>(n);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WaitAndReceiveAsync()
    {
        while (true)
        {
            await _readReady.WaitAsync().ConfigureAwait(false);
            if (_timeoutReason != RejectReason.None || _evicted)
            {
                return TimedOut;
            }

            if (_closed)
            {
                return Failed;
            }

            EnsureInputSpace();
            int n = TryReceive();
            if (n != int.MinValue)
            {
                return n;
            }
        }
    }

    /// <summary>A one-byte MSG_PEEK: 1 when data is waiting, 0 at end of stream, int.MinValue for "would block".</summary>
    private unsafe int PeekReadable()
    {
        byte probe;
        while (true)
        {
            nint n = Libc.recv(_fd, &probe, 1, Libc.MSG_PEEK);
            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                return errno == Libc.EAGAIN ? int.MinValue : Failed;
            }
        }
    }

    /// <summary>One recv; int.MinValue means "would block".</summary>
    private unsafe int TryReceive()
    {
        fixed (byte* p = &_in[_inEnd])
        {
            while (true)
            {
                nint n = Libc.recv(_fd, p, _in.Length - _inEnd, 0);
                if (n > 0)
                {
                    _inEnd += (int)n;
                    return (int)n;
                }

                if (n == 0)
                {
                    return Eof;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }

                return errno == Libc.EAGAIN ? int.MinValue : Failed;
            }
        }
    }

    private void EnsureInputSpace()
    {
        if (_in.Length == 0)
        {
            _in = Server.Buffers.Rent(InitialInputSize);
            _inStart = _inEnd = _reqStart = 0;
            return;
        }

        if (_inEnd < _in.Length)
        {
            return;
        }

        // Body bytes already consumed sit between the head (still referenced by offsets) and _inStart: drop them.
        int headEnd = _reqStart + _headLength;
        if (_inStart > headEnd)
        {
            Buffer.BlockCopy(_in, _inStart, _in, headEnd, _inEnd - _inStart);
            _inEnd -= _inStart - headEnd;
            _inStart = headEnd;
            if (_inEnd < _in.Length)
            {
                return;
            }
        }

        int live = _inEnd - _reqStart;
        if (_reqStart > 0 && live < _in.Length / 2)
        {
            Buffer.BlockCopy(_in, _reqStart, _in, 0, live);
        }
        else
        {
            var bigger = Server.Buffers.Rent(_in.Length * 2);
            Buffer.BlockCopy(_in, _reqStart, bigger, 0, live);
            Server.Buffers.Return(_in);
            _in = bigger;
        }

        _inStart -= _reqStart;
        _inEnd = live;
        _reqStart = 0;
    }

    /// <summary>Sends everything buffered. False when the connection failed.</summary>
    private ValueTask<bool> FlushAsync()
    {
        int r = TrySend();
        if (r == 1)
        {
            return new ValueTask<bool>(true);
        }

        return r == 0 ? WaitAndFlushAsync() : new ValueTask<bool>(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WaitAndFlushAsync()
    {
        _flushWaitStartTicks = Now;
        _flushWaitStartSent = _totalSent;
        while (true)
        {
            await _writeReady.WaitAsync().ConfigureAwait(false);
            if (_closed)
            {
                return false;
            }

            int r = TrySend();
            if (r != 0)
            {
                return r == 1;
            }
        }
    }

    /// <summary>1 = all sent, 0 = would block, -1 = failed.</summary>
    private unsafe int TrySend()
    {
        if (_closed)
        {
            return -1;
        }

        var pending = _out.WrittenSpan.Slice(_outSent);
        fixed (byte* p = pending)
        {
            int offset = 0;
            while (offset < pending.Length)
            {
                // Counted before the call: a test that has read the response must see the count already.
                Volatile.Write(ref Server.SendCalls, Server.SendCalls + 1);
                nint n = Libc.send(_fd, p + offset, pending.Length - offset, Libc.MSG_NOSIGNAL);
                if (n >= 0)
                {
                    offset += (int)n;
                    _totalSent += n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }

                _outSent += offset;
                return errno == Libc.EAGAIN ? 0 : -1;
            }
        }

        _out.Clear();
        _outSent = 0;
        return 1;
    }

    /// <summary>
    /// Answers a request that cannot be served, then closes gracefully. <paramref name="headRequest"/>: the request
    /// is a parsed HEAD, whose answer carries no content (RFC 9110 §9.3.2); only callers past the head know that.
    /// </summary>
    private async ValueTask RejectAsync(RejectReason reason, bool headRequest = false)
    {
        // A request already under way (body too large, bad target, a late body timeout) ends with this answer.
        EndRequestMetrics(Rejection.Status(reason));
        WriteSimpleResponse(Rejection.Status(reason), Rejection.Message(reason), keepAlive: false, bodyless: headRequest);
        await CloseGracefullyAsync().ConfigureAwait(false);
    }

    private async Task RejectConnectionAsync()
    {
        try
        {
            var body = "Server at its connection limit";
            var head = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + Server.Config.RetryAfterSeconds + "\r\n";
            _out.Write(Encoding.ASCII.GetBytes(head));
            WriteSimpleResponseTail("text/plain; charset=utf-8", Encoding.ASCII.GetBytes(body), keepAlive: false);
            await CloseGracefullyAsync().ConfigureAwait(false);
        }
        finally
        {
            Close();
        }
    }

    private void WriteSimpleResponse(int status, string message, bool keepAlive, bool bodyless = false)
    {
        _out.Write(StatusLines.Get(status));
        WriteSimpleResponseTail("text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message), keepAlive, bodyless);
    }

    /// <summary>Headers and body of a server-made answer; <paramref name="bodyless"/> (HEAD) keeps the Content-Length, drops the body.</summary>
    private void WriteSimpleResponseTail(string contentType, ReadOnlySpan<byte> body, bool keepAlive, bool bodyless = false)
    {
        _out.Write(HttpBytes.ContentTypePrefix);
        WriteAscii(contentType);
        _out.Write(HttpBytes.CrLf);
        WriteContentLength(body.Length);
        _out.Write(Server.Date.HeaderLine);
        _out.Write(HttpBytes.ServerHeader);
        if (!keepAlive)
        {
            _out.Write(HttpBytes.ConnectionClose);
        }

        _out.Write(HttpBytes.CrLf);
        if (!bodyless)
        {
            _out.Write(body);
        }
    }

    /// <summary>
    /// Sends what is buffered, half-closes, and reads (discarding) until the client closes or a short timeout:
    /// closing with unread input would make the kernel send RST and could destroy the response in flight.
    /// </summary>
    private async ValueTask CloseGracefullyAsync()
    {
        if (_closed)
        {
            return;
        }

        if (!await FlushAsync().ConfigureAwait(false))
        {
            Close();
            return;
        }

        Libc.shutdown(_fd, Libc.SHUT_WR);
        _state = ConnectionState.Lingering;
        _deadline = Now + Server.Ticks(HttpServer.LingerTimeout);
        _timeoutReason = RejectReason.None;
        _evicted = false;
        int discarded = 0;
        while (discarded < 1 << 20)
        {
            _inStart = _inEnd = _reqStart = 0;
            int n = await ReceiveAsync().ConfigureAwait(false);
            if (n <= 0)
            {
                break;
            }

            discarded += n;
        }

        Close();
    }

    /// <summary>Called by the heartbeat on the loop. Returns true when the connection needs <see cref="OnTimeout"/>.</summary>
    public bool CheckTimeout(long now)
    {
        if (_closed)
        {
            return false;
        }

        if (_writeReady.IsWaiting && ResponseTooSlow(now))
        {
            return true;
        }

        switch (_state)
        {
            case ConnectionState.Idle:
            case ConnectionState.ReadingHead:
            case ConnectionState.Lingering:
                return now > _deadline && _readReady.IsWaiting;
            case ConnectionState.ReadingBody:
                return (!ResponseStarted && now > _requestDeadline) || (_readReady.IsWaiting && BodyTooSlow(now));
            case ConnectionState.InHandler:
                return !ResponseStarted && now > _requestDeadline;
            default:
                return false;
        }
    }

    public void OnTimeout(long now)
    {
        if (_writeReady.IsWaiting && ResponseTooSlow(now))
        {
            // The client stopped reading: nothing more can be said to it. Close() wakes every waiter.
            Close();
            return;
        }

        switch (_state)
        {
            case ConnectionState.Idle:
            case ConnectionState.ReadingHead:
                _timeoutReason = RejectReason.HeadersTimeout;
                _readReady.Signal();
                break;
            case ConnectionState.Lingering:
                _timeoutReason = RejectReason.HeadersTimeout;
                _readReady.Signal();
                break;
            case ConnectionState.ReadingBody when ResponseStarted || now <= _requestDeadline:
                _timeoutReason = RejectReason.BodyTimeout;
                _readReady.Signal();
                break;
            default:
                TimeOutRequest();
                break;
        }
    }

    /// <summary>Kestrel-style minimum response data rate, measured while a send waits for the client to read.</summary>
    private bool ResponseTooSlow(long now)
    {
        double rate = Server.Config.MinResponseDataRate;
        if (rate <= 0)
        {
            return false;
        }

        double elapsed = (now - _flushWaitStartTicks) / (double)System.Diagnostics.Stopwatch.Frequency;
        return elapsed > Server.Config.MinResponseDataRateGracePeriod.TotalSeconds && _totalSent - _flushWaitStartSent < rate * elapsed;
    }

    /// <summary>Closes an idle keep-alive connection to make room for a new one.</summary>
    public bool TryEvict()
    {
        if (!IsIdle || !_servedOne || _closed || !_readReady.IsWaiting || RequestWaiting())
        {
            return false;
        }

        _evicted = true;
        _readReady.Signal();
        return true;
    }

    /// <summary>
    /// During shutdown: idle connections close now; busy ones close after their current response. A connection that
    /// looks idle but whose next request has already arrived (its readiness event not yet handled) is not idle: it is
    /// left to read that request and answer it with <c>Connection: close</c>. Closing it would destroy a request
    /// the client had fully sent before the drain began (a reset, with no answer).
    /// </summary>
    public void OnDraining()
    {
        if (_state is ConnectionState.Idle or ConnectionState.ReadingHead && _inEnd == _reqStart && _readReady.IsWaiting && !RequestWaiting())
        {
            _evicted = true;
            _readReady.Signal();
        }
    }

    /// <summary>True when bytes of a next request sit in the socket, unread (a one-byte MSG_PEEK; off the hot path).</summary>
    private bool RequestWaiting() => !_closed && PeekReadable() > 0;

    /// <summary>
    /// RequestTimeout passed before the response started: answer 504 (as ASP.NET's request-timeouts middleware
    /// does), signal Aborted, drop whatever the handler produces later, and close.
    /// </summary>
    private void TimeOutRequest()
    {
        _timedOut = true;
        _context.SignalAborted();
        if (_readReady.IsWaiting)
        {
            _timeoutReason = RejectReason.BodyTimeout;
            _readReady.Signal();
        }

        if (_closed)
        {
            return;
        }

        // The request ends here for the client, even if its handler never returns.
        EndRequestMetrics(504);
        WriteSimpleResponse(504, "Request timed out", keepAlive: false, bodyless: _isHead);
        _ = FinishTimeoutAsync();
    }

    private async Task FinishTimeoutAsync()
    {
        try
        {
            await CloseGracefullyAsync().ConfigureAwait(false);
        }
        finally
        {
            Close();
        }
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _state = ConnectionState.Closed;
        EndRequestMetrics(0);
        if (_slot >= 0)
        {
            Server.Loop.Unregister(_slot);
        }

        try
        {
            _socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }

        _context.SignalAborted();
        _readReady.Signal();
        _writeReady.Signal();
        Server.OnConnectionClosed(this);
        if (_handlerActive)
        {
            // A handler (timed out, or outliving its client) may still hold the body memory or read headers: the
            // buffers must not go back to the pool, where another connection would rent them. The GC takes them.
            return;
        }

        Server.Buffers.Return(_in);
        _in = [];
        _inStart = _inEnd = _reqStart = 0;
        _out.Dispose();
        _context.ReleaseBuffers();
        _bodyBuffer?.Dispose();
        _bodyBuffer = null;
    }

    private void WriteAscii(string s)
    {
        var span = _out.GetSpan(s.Length);
        Encoding.ASCII.GetBytes(s, span);
        _out.Advance(s.Length);
    }

    private void WriteUtf8(string s)
    {
        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
        _out.Advance(Encoding.UTF8.GetBytes(s, span));
    }

    private void WriteContentLength(long length)
    {
        _out.Write(HttpBytes.ContentLengthPrefix);
        var span = _out.GetSpan(24);
        System.Buffers.Text.Utf8Formatter.TryFormat(length, span, out int written);
        span[written] = HttpBytes.CR;
        span[written + 1] = HttpBytes.LF;
        _out.Advance(written + 2);
    }
}
