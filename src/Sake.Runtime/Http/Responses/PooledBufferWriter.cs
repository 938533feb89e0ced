using System.Buffers;

namespace Sake.Http.Responses;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}"/> (up to <see cref="Sake.Loop.LoopBufferPool.MaxSharedPooledLength"/>;
/// larger ones are allocated and dropped), reused across requests on one connection.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly int _initialSize;
    private readonly Sake.Loop.LoopBufferPool? _pool;
    private byte[] _buffer = [];
    private int _length;

    /// <summary>
    /// Nothing is rented until the first write: idle connections hold no buffers. With a loop pool, small buffers
    /// come from the loop's free list; without one (worker threads), from the shared ArrayPool.
    /// </summary>
    public PooledBufferWriter(int initialSize, Sake.Loop.LoopBufferPool? pool = null)
    {
        _initialSize = initialSize;
        _pool = pool;
    }

    /// <summary>True while a pooled array is held.</summary>
    public bool HoldsBuffer => _buffer.Length > 0;

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        Ensure(data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _length >= sizeHint)
        {
            return;
        }

        int newSize = Math.Max(Math.Max(_buffer.Length * 2, _initialSize), _length + sizeHint);
        var next = _pool is null ? Sake.Loop.LoopBufferPool.RentShared(newSize) : _pool.Rent(newSize);
        _buffer.AsSpan(0, _length).CopyTo(next);
        ReturnBuffer(_buffer);
        _buffer = next;
    }

    /// <summary>Gives the buffer back while it is empty (an idle connection); the next write rents again.</summary>
    public void Release()
    {
        if (_length == 0 && _buffer.Length > 0)
        {
            ReturnBuffer(_buffer);
            _buffer = [];
        }
    }

    private void ReturnBuffer(byte[] buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        if (_pool is null)
        {
            Sake.Loop.LoopBufferPool.ReturnShared(buffer);
        }
        else
        {
            _pool.Return(buffer);
        }
    }

    public void Dispose()
    {
        ReturnBuffer(_buffer);
        _buffer = [];
    }
}
