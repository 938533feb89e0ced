using System.Buffers;

namespace Sake.Loop;

/// <summary>
/// The loop's own free list of 4 KiB buffers. Connections give their buffers back whenever they go idle, so
/// renting and returning happens on every request; a single-threaded free list does that without locks and,
/// unlike the shared ArrayPool whose per-core stacks other threads can drain, without ever allocating once the
/// working set is warm. Larger buffers (a big header block or body) come from <see cref="ArrayPool{T}.Shared"/>, up
/// to <see cref="MaxSharedPooledLength"/>; beyond it they are plain allocations the GC takes back (see
/// <see cref="RentShared"/>). Off the loop (a handler that left it with ConfigureAwait(false)) the shared pool is
/// used, so misuse cannot corrupt the free list.
/// </summary>
internal sealed class LoopBufferPool
{
    public const int BlockSize = 4096;

    /// <summary>
    /// The largest buffer that goes back to <see cref="ArrayPool{T}.Shared"/>: 1 MiB. The shared pool keeps up to
    /// 32 arrays per size per core and trims them only on gen-2 collections, which a server that allocates nothing
    /// per request may not see for hours: 20 concurrent 4 MiB bodies and responses left 567 MiB reachable in it
    /// after they were done (Hardening/OverloadTests.cs in Sake.Runtime.Tests). Bigger buffers are allocated for
    /// the one request that needs them and left to the GC; their allocation (on the large-object heap) is what
    /// triggers the collection that frees them.
    /// </summary>
    public const int MaxSharedPooledLength = 1024 * 1024;

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

        return RentShared(minimumLength);
    }

    /// <summary>A buffer from the shared pool, or a fresh one above <see cref="MaxSharedPooledLength"/>.</summary>
    public static byte[] RentShared(int minimumLength) =>
        minimumLength > MaxSharedPooledLength ? GC.AllocateUninitializedArray<byte>(minimumLength) : ArrayPool<byte>.Shared.Rent(minimumLength);

    /// <summary>Gives a buffer from <see cref="RentShared"/> back; one above <see cref="MaxSharedPooledLength"/> is dropped.</summary>
    public static void ReturnShared(byte[] buffer)
    {
        if (buffer.Length > 0 && buffer.Length <= MaxSharedPooledLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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

        ReturnShared(buffer);
    }
}
