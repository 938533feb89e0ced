using System.Buffers;

namespace Sake.Loop;

/// <summary>
/// The loop's own free list of 4 KiB buffers. Connections give their buffers back whenever they go idle, so
/// renting and returning happens on every request; a single-threaded free list does that without locks and,
/// unlike the shared ArrayPool whose per-core stacks other threads can drain, without ever allocating once the
/// working set is warm. Larger buffers (a big header block or body) come from <see cref="ArrayPool{T}.Shared"/>.
/// Off the loop (a handler that left it with ConfigureAwait(false)) the shared pool is used, so misuse cannot
/// corrupt the free list.
/// </summary>
internal sealed class LoopBufferPool
{
    public const int BlockSize = 4096;

    private readonly EventLoop _loop;
    private readonly Stack<byte[]> _free = new();
    private readonly int _maxFree;

    public LoopBufferPool(EventLoop loop, int maxFree)
    {
        _loop = loop;
        _maxFree = maxFree;
    }

    public byte[] Rent(int minimumLength)
    {
        if (minimumLength <= BlockSize && _loop.IsOnLoop)
        {
            return _free.Count > 0 ? _free.Pop() : new byte[BlockSize];
        }

        return ArrayPool<byte>.Shared.Rent(minimumLength);
    }

    public void Return(byte[] buffer)
    {
        if (buffer.Length == BlockSize && _loop.IsOnLoop)
        {
            if (_free.Count < _maxFree)
            {
                _free.Push(buffer);
            }

            return;
        }

        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
