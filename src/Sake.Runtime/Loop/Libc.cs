using System.Runtime.InteropServices;

namespace Sake.Loop;

/// <summary>
/// The handful of Linux syscalls the event loop drives itself. The loop owns readiness (epoll) instead of
/// .NET's socket engine because that engine completes every operation on its own epoll thread and then hops
/// through the thread pool before a SynchronizationContext can bring it back: three threads per read. See
/// docs/architecture.md, "Why the loop drives epoll".
/// </summary>
internal static unsafe partial class Libc
{
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_PEEK = 0x2;
    public const int SHUT_WR = 1;
    public const int EAGAIN = 11;
    public const int EINTR = 4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    public const int SOL_SOCKET = 1;
    public const int SO_REUSEADDR = 2;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, int* value, int length);

    public const int IPPROTO_TCP = 6;
    public const int TCP_INFO = 11;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, byte* value, uint* length);

    /// <summary>
    /// A listening socket's accept-queue length, or -1 on failure. For a socket in LISTEN state the kernel fills
    /// <c>struct tcp_info</c>'s <c>tcpi_unacked</c> (byte offset 24, after eight u8 fields and four u32 fields; a
    /// stable ABI since 2.6) with the accept backlog's current length and <c>tcpi_sacked</c> with its limit.
    /// </summary>
    public static int AcceptQueueLength(int fd)
    {
        const int UnackedOffset = 24;
        byte* info = stackalloc byte[256];
        uint length = 256;
        if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, &length) != 0 || length < UnackedOffset + sizeof(uint))
        {
            return -1;
        }

        return (int)*(uint*)(info + UnackedOffset);
    }

    /// <summary>
    /// <c>struct epoll_event</c> is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes), so
    /// events are read and written through a stride instead of a managed struct.
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;
}
