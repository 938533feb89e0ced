using System.Runtime.CompilerServices;
using Sake.Http.Bodies;
using Sake.Http.Parsing;
using Sake.Http.Protocol;
using Sake.Http.Rejections;
using Sake.Http.Responses;

namespace Sake.Http;

internal sealed partial class Connection
{
    private BodyKind _bodyKind;
    private long _bodyRemaining;
    private long _bodyReceived;
    private long _bodyStartTicks;
    private bool _bodyComplete;
    private bool _bodyTaken;
    private bool _sent100;
    private ChunkedDecoder _chunked;
    private PooledBufferWriter? _bodyBuffer;
    private RejectReason _bodyError;

    private enum BodyKind : byte
    {
        None,
        Length,
        Chunked,
    }

    private void BeginBody(RequestHead head)
    {
        _sent100 = false;
        _bodyTaken = false;
        _bodyError = RejectReason.None;
        _bodyReceived = 0;
        _bodyBuffer?.Clear();
        if (head.Chunked)
        {
            _bodyKind = BodyKind.Chunked;
            _chunked.Reset();
            _bodyComplete = false;
        }
        else if (head.ContentLength > 0)
        {
            _bodyKind = BodyKind.Length;
            _bodyRemaining = head.ContentLength;
            _bodyComplete = false;
        }
        else
        {
            _bodyKind = BodyKind.None;
            _bodyComplete = true;
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync()
    {
        if (_bodyError != RejectReason.None)
        {
            // A failed read is final: a second read must not return the truncated bytes as if complete.
            return ValueTask.FromException<ReadOnlyMemory<byte>>(new BadRequestException(_bodyError));
        }

        if (Detached)
        {
            return ValueTask.FromException<ReadOnlyMemory<byte>>(new BadRequestException(RejectReason.BodyTimeout));
        }

        if (_bodyKind == BodyKind.None)
        {
            return new ValueTask<ReadOnlyMemory<byte>>(ReadOnlyMemory<byte>.Empty);
        }

        if (_bodyComplete && _bodyTaken)
        {
            return new ValueTask<ReadOnlyMemory<byte>>(_bodyBuffer!.WrittenMemory);
        }

        return ReadBodySlowAsync();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadOnlyMemory<byte>> ReadBodySlowAsync()
    {
        if (_bodyTaken)
        {
            throw new InvalidOperationException("The request body is already being read.");
        }

        _bodyTaken = true;
        var buffer = _bodyBuffer ??= new PooledBufferWriter(4096, Server.Buffers);
        buffer.Clear();
        await ReceiveBodyAsync(discard: false).ConfigureAwait(false);
        return buffer.WrittenMemory;
    }

    /// <summary>Reads and drops a body the handler did not read, so the next request on the connection parses cleanly.</summary>
    private async ValueTask<bool> DrainBodyAsync()
    {
        try
        {
            await ReceiveBodyAsync(discard: true).ConfigureAwait(false);
            return true;
        }
        catch (BadRequestException)
        {
            return false;
        }
    }

    private async ValueTask ReceiveBodyAsync(bool discard)
    {
        var previousState = _state;
        _state = ConnectionState.ReadingBody;
        if (_head.ExpectContinue && !_sent100 && !ResponseStarted && !discard)
        {
            // RFC 9110 §10.1.1: 100 Continue only once the body is actually wanted. Pipelined responses queued
            // before it go first.
            _sent100 = true;
            _out.Write(HttpBytes.Continue100);
            if (!await FlushAsync().ConfigureAwait(false))
            {
                _state = previousState;
                throw new BadRequestException(RejectReason.UnexpectedEndOfBody);
            }
        }

        _bodyStartTicks = Now;
        _timeoutReason = RejectReason.None;
        try
        {
            while (true)
            {
                ConsumeBufferedBody(discard);
                if (_bodyComplete)
                {
                    return;
                }

                // A response (or 100 Continue) queued before the wait goes out first: the client may be waiting for it.
                if (_out.Length > _outSent && !await FlushAsync().ConfigureAwait(false))
                {
                    throw new BadRequestException(RejectReason.UnexpectedEndOfBody);
                }

                int n = await ReceiveAsync().ConfigureAwait(false);
                if (n == TimedOut)
                {
                    throw new BadRequestException(_timeoutReason == RejectReason.None ? RejectReason.BodyTimeout : _timeoutReason);
                }

                if (n <= 0)
                {
                    throw new BadRequestException(RejectReason.UnexpectedEndOfBody);
                }

                _bodyReceived += n;
            }
        }
        catch (BadRequestException e)
        {
            // The framing is now unknown: whatever happens next, this connection cannot carry another request.
            _requestKeepAlive = false;
            _bodyComplete = true;
            _bodyError = e.Reason;
            throw;
        }
        finally
        {
            _state = previousState == ConnectionState.ReadingBody ? ConnectionState.InHandler : previousState;
        }
    }

    private void ConsumeBufferedBody(bool discard)
    {
        int available = _inEnd - _inStart;
        if (available == 0)
        {
            return;
        }

        if (_bodyKind == BodyKind.Length)
        {
            int take = (int)Math.Min(_bodyRemaining, available);
            if (!discard)
            {
                _bodyBuffer!.Write(_in.AsSpan(_inStart, take));
            }

            _inStart += take;
            _bodyRemaining -= take;
            _bodyComplete = _bodyRemaining == 0;
            return;
        }

        while (_inStart < _inEnd && !_chunked.IsDone)
        {
            var output = discard ? default : _bodyBuffer!.GetSpan(Math.Min(Math.Max(available, 256), 1 << 16));
            int consumed = _chunked.Decode(_in.AsSpan(_inStart, _inEnd - _inStart), output, discard, out int written, Server.Config, out var error);
            _inStart += consumed;
            if (!discard)
            {
                _bodyBuffer!.Advance(written);
            }

            if (error != RejectReason.None)
            {
                throw new BadRequestException(error);
            }
        }

        _bodyComplete = _chunked.IsDone;
    }

    /// <summary>Kestrel-style minimum data rate: after the grace period, the average rate must stay above the minimum.</summary>
    private bool BodyTooSlow(long now)
    {
        double rate = Server.Config.MinRequestBodyDataRate;
        if (rate <= 0)
        {
            return false;
        }

        double elapsed = (now - _bodyStartTicks) / (double)System.Diagnostics.Stopwatch.Frequency;
        if (elapsed <= Server.Config.MinRequestBodyDataRateGracePeriod.TotalSeconds)
        {
            return false;
        }

        return _bodyReceived < rate * elapsed;
    }
}
