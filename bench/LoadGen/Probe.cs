using System.Net;
using System.Net.Sockets;

namespace LoadGen;

/// <summary>
/// One GET on a fresh connection (readiness checks and response checks in the bench script, which may run
/// where no curl exists): the body goes to stdout; the exit code is 0 for a 2xx answer, else 1.
/// </summary>
internal static class Probe
{
    public static async Task<int> RunAsync(Options options, EndPoint endPoint)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var parser = new ResponseParser { Body = new MemoryStream() };
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token).ConfigureAwait(false);
            await socket.SendAsync(LoadRunner.BuildRequest(options.Url), SocketFlags.None, cts.Token).ConfigureAwait(false);
            var buffer = new byte[64 * 1024];
            int start = 0, end = 0;
            parser.Reset();
            while (!parser.Advance(buffer, ref start, end))
            {
                if (start == end)
                {
                    start = end = 0;
                }
                else if (end == buffer.Length)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                    if (end == buffer.Length)
                    {
                        throw new ProtocolException("response head larger than 64 KiB");
                    }
                }

                int n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    if (parser.EndsAtClose)
                    {
                        break;
                    }

                    throw new ProtocolException("connection closed before the response was complete");
                }

                end += n;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ProtocolException or IOException)
        {
            string what = ex is OperationCanceledException ? $"no complete response within {options.TimeoutSeconds} s" : ex.Message;
            Console.Error.WriteLine($"loadgen probe: {options.Url}: {what}");
            return 1;
        }

        using (var stdout = Console.OpenStandardOutput())
        {
            parser.Body.Position = 0;
            parser.Body.CopyTo(stdout);
        }

        if (parser.Status is < 200 or > 299)
        {
            Console.Error.WriteLine($"loadgen probe: {options.Url}: status {parser.Status}");
            return 1;
        }

        return 0;
    }
}
