using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;

namespace Sake.Benchmarks;

/// <summary>
/// One blocking keep-alive connection: send a prepared request, read exactly one Content-Length response.
/// Synchronous on purpose: no thread-pool hops on the client side, so only the server's path varies.
/// </summary>
internal sealed class KeepAliveClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];

    public KeepAliveClient(IPEndPoint endPoint)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(endPoint);
    }

    /// <summary>Sends <paramref name="request"/> and returns the response's status code; the body is in <see cref="LastBody"/>.</summary>
    public int RoundTrip(byte[] request)
    {
        int sent = 0;
        while (sent < request.Length)
        {
            sent += _socket.Send(request, sent, request.Length - sent, SocketFlags.None);
        }

        int read = 0;
        int headEnd;
        while ((headEnd = _buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0)
        {
            read += Receive(read);
        }

        int bodyStart = headEnd + 4;
        int length = ContentLength(_buffer.AsSpan(0, headEnd));
        while (read < bodyStart + length)
        {
            read += Receive(read);
        }

        if (read != bodyStart + length)
        {
            throw new InvalidOperationException("The server sent more than one response.");
        }

        LastBody = new ArraySegment<byte>(_buffer, bodyStart, length);
        // "HTTP/1.1 200 OK": the status code is bytes 9..12.
        return Utf8Parser.TryParse(_buffer.AsSpan(9, 3), out int status, out _) ? status : -1;
    }

    public ArraySegment<byte> LastBody { get; private set; }

    private int Receive(int offset)
    {
        int n = _socket.Receive(_buffer, offset, _buffer.Length - offset, SocketFlags.None);
        return n > 0 ? n : throw new InvalidOperationException("The server closed the connection.");
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> name = "\r\ncontent-length:"u8;
        for (int i = 0; i + name.Length <= head.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(head.Slice(i, name.Length), name))
            {
                var rest = head[(i + name.Length)..].TrimStart((byte)' ');
                return Utf8Parser.TryParse(rest, out int value, out _) ? value : throw new InvalidOperationException("Bad Content-Length.");
            }
        }

        throw new InvalidOperationException("The response has no Content-Length.");
    }

    public void Dispose() => _socket.Dispose();
}
