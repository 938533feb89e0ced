using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sake.Runtime.Tests.Hardening;

/// <summary>
/// The abuse tests open hundreds of sockets and saturate the server on purpose: they run one at a time, apart from
/// every other collection, so their load neither disturbs nor is disturbed by timing-sensitive tests elsewhere.
/// </summary>
[CollectionDefinition(nameof(HardeningCollection), DisableParallelization = true)]
public sealed class HardeningCollection;

/// <summary>Small socket helpers shared by the hardening tests.</summary>
internal static class Abuse
{
    /// <summary>A connected, blocking TCP socket with Nagle off.</summary>
    public static Socket Connect(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(endPoint);
        return socket;
    }

    /// <summary>Closes with RST instead of FIN (SO_LINGER 0): what a client that crashes or resets looks like.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
    }

    /// <summary>Sends everything, swallowing errors (the server may already have closed): true if it all went.</summary>
    public static async Task<bool> TrySendAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                sent += await socket.SendAsync(bytes.Slice(sent), SocketFlags.None);
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads until the peer closes (EOF or reset) or <paramref name="timeout"/> passes. Returns what arrived and
    /// whether the connection ended (false: still open at the timeout).
    /// </summary>
    public static async Task<(string Text, bool Ended)> ReadUntilClosedAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return (Encoding.Latin1.GetString(received.ToArray()), false);
            }
            catch (SocketException)
            {
                return (Encoding.Latin1.GetString(received.ToArray()), true);
            }

            if (n == 0)
            {
                return (Encoding.Latin1.GetString(received.ToArray()), true);
            }

            received.Write(buffer, 0, n);
        }
    }

    /// <summary>Counts complete responses in <paramref name="text"/> (a run of pipelined answers), by status.</summary>
    public static List<Infrastructure.RawResponse> ParseAll(string text)
    {
        var all = new List<Infrastructure.RawResponse>();
        var bytes = Encoding.Latin1.GetBytes(text);
        int offset = 0;
        while (Infrastructure.RawResponse.TryParse(bytes.AsSpan(offset), headRequest: false, out var r, out int length))
        {
            all.Add(r!);
            offset += length;
        }

        return all;
    }

    /// <summary>
    /// The server logged nothing at Error level except handler exceptions (which the faults provoke on purpose):
    /// a "Connection failed unexpectedly" or a worker that died would mean a fault escaped the server's handling.
    /// </summary>
    public static void AssertNoServerFaults(Infrastructure.ListLogger log)
    {
        foreach (var (level, message, exception) in log.Entries)
        {
            if (level >= Microsoft.Extensions.Logging.LogLevel.Error && !message.StartsWith("Unhandled exception in ", StringComparison.Ordinal))
            {
                Assert.Fail($"server logged {level}: {message}\n{exception}");
            }
        }
    }

    /// <summary>Open file descriptors of this process.</summary>
    public static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>The soft limit on open descriptors (RLIMIT_NOFILE), read from /proc (no P/Invoke needed).</summary>
    public static long DescriptorSoftLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var parts = line.Substring("Max open files".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts[0] == "unlimited" ? long.MaxValue : long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 1024;
    }
}
