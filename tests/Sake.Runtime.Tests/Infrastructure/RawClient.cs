using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sake.Runtime.Tests.Infrastructure;

/// <summary>A plain TCP client for sending exact bytes and reading exact responses.</summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket _socket;
    private readonly MemoryStream _received = new();
    private int _consumed;

    private RawClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static RawClient Connect(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(endPoint);
        return new RawClient(socket);
    }

    public async Task SendAsync(string ascii) => await SendAsync(Encoding.Latin1.GetBytes(ascii));

    public async Task SendAsync(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Reads until the peer closes (or the timeout) and returns everything not yet consumed.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[65536];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The server did not close the connection. Received so far:\n" + Remaining());
            }
            catch (SocketException)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            _received.Write(buffer, 0, n);
        }

        var text = Remaining();
        _consumed = (int)_received.Length;
        return text;
    }

    /// <summary>True when the server closed its side: a read returns 0 (or reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? timeout = null)
    {
        try
        {
            await ReadToEndAsync(timeout ?? TimeSpan.FromSeconds(5));
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Reads one complete response (Content-Length or chunked framing, or no body for HEAD/204/304).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[65536];
        while (true)
        {
            if (RawResponse.TryParse(_received.GetBuffer().AsSpan(_consumed, (int)_received.Length - _consumed), headRequest, out var response, out int length))
            {
                _consumed += length;
                return response!;
            }

            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No complete response. Received so far:\n" + Remaining());
            }

            if (n == 0)
            {
                throw new IOException("Connection closed before a complete response. Received:\n" + Remaining());
            }

            _received.Write(buffer, 0, n);
        }
    }

    private string Remaining() => Encoding.Latin1.GetString(_received.GetBuffer(), _consumed, (int)_received.Length - _consumed);

    public void Dispose() => _socket.Dispose();
}
