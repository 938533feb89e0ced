using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Sake.Hosting;
using Sake.Http;
using Sake.Http.Responses;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Review;

/// <summary>
/// Tests written during a code review. Each documents a bug: it asserts the correct behaviour and fails against
/// the code as reviewed.
/// </summary>
public sealed class ReviewFindingsTests
{
    private static readonly byte[] OneMiB = new byte[1 << 20];

    /// <summary>
    /// Connection.FinishResponse writes the chunked last-chunk "0\r\n\r\n" for a streamed response even when the
    /// request was HEAD, so the bytes land where the client expects the next response: response desync on a
    /// reused connection (a proxy pool would attribute them to the next request).
    /// </summary>
    [Fact]
    public async Task HeadOfStreamingRouteSendsNoBodyBytes()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Get("/stream", async ctx => await ctx.WriteAsync("hello"u8.ToArray()));
            app.Get("/plain", ctx => ctx.Text("plain"));
        });

        using var client = server.Raw();
        await client.SendAsync("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        string all = await client.ReadToEndAsync();
        int headEnd = all.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        int second = all.IndexOf("HTTP/1.1", headEnd, StringComparison.Ordinal);
        Assert.True(second > 0, all);
        Assert.Equal(string.Empty, all[headEnd..second]);
    }

    /// <summary>
    /// Connection.Close returns _bodyBuffer (and _in, _out) to ArrayPool while a timed-out handler still holds the
    /// ReadOnlyMemory that ReadBodyAsync returned. The next connection rents the same array, so the old handler
    /// reads another client's bytes (cross-request data leak / corruption).
    /// </summary>
    [Fact]
    public async Task BodyMemoryStaysValidForATimedOutHandler()
    {
        var result = new TaskCompletionSource<(string Before, string After)>();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Post("/slow", async ctx =>
                {
                    var body = await ctx.ReadBodyAsync();
                    string before = Encoding.ASCII.GetString(body.Span);
                    await Task.Delay(1500); // ignores Aborted, as much real code does
                    result.TrySetResult((before, Encoding.ASCII.GetString(body.Span)));
                });
                app.Post("/other", async ctx =>
                {
                    await ctx.ReadBodyAsync();
                    ctx.Text("other");
                });
            },
            new Config { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        string secret = new('A', 100);
        using (var first = server.Raw())
        {
            await first.SendAsync($"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: {secret.Length}\r\n\r\n{secret}");
            Assert.Equal(504, (await first.ReadResponseAsync()).Status);
        }

        await Task.Delay(300); // the server sees EOF while lingering and closes: buffers go back to the pool
        using var second = server.Raw();
        string other = new('B', 100);
        await second.SendAsync($"POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: {other.Length}\r\n\r\n{other}");
        Assert.Equal(200, (await second.ReadResponseAsync()).Status);

        var (before, after) = await result.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(secret, before);
        Assert.Equal(before, after);
    }

    /// <summary>
    /// ReadHeadAsync only flushes when the input runs dry, so every request already buffered is answered into
    /// _out first. ~2 KiB of pipelined GETs to a 1 MiB resource make the server hold 64 MiB for a client that never
    /// reads (and, see next test, it holds it forever).
    /// </summary>
    [Fact]
    public async Task PipelinedRequestsDoNotBufferUnboundedResponses()
    {
        await using var server = await TestServer.StartAsync(app => app.Get("/mb", ctx => ctx.Data("application/octet-stream", OneMiB)));

        using var client = server.Raw();
        client.Socket.ReceiveBufferSize = 4096;
        var sb = new StringBuilder();
        for (int i = 0; i < 64; i++)
        {
            sb.Append("GET /mb HTTP/1.1\r\nHost: x\r\n\r\n");
        }

        await client.SendAsync(sb.ToString());
        await Task.Delay(1000);
        long buffered = await OnLoop(server, c => (long)GetField<PooledBufferWriter>(c, "_out").Length);
        Assert.True(buffered < 8 << 20, $"the server buffers {buffered / (1 << 20)} MiB of responses for one connection");
    }

    /// <summary>
    /// CheckTimeout only fires for Idle/ReadingHead/Lingering when _readReady.IsWaiting and has no send/min-response
    /// data-rate timeout, so a connection blocked in FlushAsync (client not reading) is never timed out, and is not
    /// evictable (TryEvict requires IsWaiting) nor closed at drain: it lives until the process stops.
    /// </summary>
    [Fact]
    public async Task ClientThatNeverReadsIsEventuallyDisconnected()
    {
        var config = new Config
        {
            KeepAliveTimeout = TimeSpan.FromMilliseconds(300),
            RequestHeadersTimeout = TimeSpan.FromMilliseconds(300),
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            MinRequestBodyDataRateGracePeriod = TimeSpan.FromMilliseconds(300),
            MinResponseDataRateGracePeriod = TimeSpan.FromMilliseconds(300),
        };
        await using var server = await TestServer.StartAsync(app => app.Get("/mb", ctx => ctx.Data("application/octet-stream", OneMiB)), config);

        using var client = server.Raw();
        client.Socket.ReceiveBufferSize = 4096;
        // 32 MiB of responses: far more than the kernel's socket buffers hold.
        await client.SendAsync(string.Concat(Enumerable.Repeat("GET /mb HTTP/1.1\r\nHost: x\r\n\r\n", 32)));
        await Task.Delay(3000); // 10x every configured timeout
        int open = await OnLoop(server, _ => 0, countOnly: true);
        Assert.Equal(0, open);
    }

    /// <summary>
    /// After ReadBodyAsync threw BadRequestException (malformed chunk, timeout, client gone), ReceiveBodyAsync sets
    /// _bodyComplete = true, so a second ReadBodyAsync returns the truncated body as if it were complete.
    /// </summary>
    [Fact]
    public async Task SecondReadAfterAFailedBodyReadDoesNotReturnATruncatedBody()
    {
        await using var server = await TestServer.StartAsync(app => app.Post("/p", async ctx =>
        {
            try
            {
                await ctx.ReadBodyAsync();
            }
            catch (BadRequestException)
            {
                // e.g. an outer middleware retrying, or a logging middleware reading the body afterwards
            }

            var again = await ctx.ReadBodyAsync();
            ctx.Text("second read returned " + Encoding.ASCII.GetString(again.Span));
        }));

        using var client = server.Raw();
        await client.SendAsync("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(400, response.Status);
    }

    /// <summary>
    /// CorsOptions { AllowCredentials = true } without AllowedOrigins echoes ANY Origin together with
    /// Access-Control-Allow-Credentials: true: every web site can read credentialed responses. ASP.NET Core refuses
    /// this combination ("AllowAnyOrigin and AllowCredentials" throws).
    /// </summary>
    [Fact]
    public async Task CorsDoesNotGrantCredentialsToEveryOrigin()
    {
        Exception? configError = null;
        RequestHandler? cors = null;
        try
        {
            cors = Middleware.Cors(new CorsOptions { AllowCredentials = true });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            configError = e;
        }

        if (configError is not null)
        {
            return;
        }

        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(cors!);
            app.Get("/me", ctx => ctx.Text("secret"));
        });

        using var client = server.Raw();
        await client.SendAsync("GET /me HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.False(
            response.Header("Access-Control-Allow-Origin") == "https://evil.example" && response.Header("Access-Control-Allow-Credentials") == "true",
            "arbitrary origin granted credentialed access");
    }

    /// <summary>
    /// SkipLeadingCrLf only runs while the scanner has not started; a lone "\r" ends a read, the scanner marks
    /// itself started, and the "\r\n" then becomes the request line: a valid request after an empty line gets 400.
    /// </summary>
    [Fact]
    public async Task LeadingEmptyLineSplitAcrossReadsIsIgnored()
    {
        await using var server = await TestServer.StartAsync(app => app.Get("/", ctx => ctx.Text("ok")));
        using var client = server.Raw();
        await client.SendAsync("\r");
        await Task.Delay(200);
        await client.SendAsync("\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    /// <summary>RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.</summary>
    [Fact]
    public async Task Http10ExpectContinueIsIgnored()
    {
        await using var server = await TestServer.StartAsync(app => app.Post("/p", async ctx => ctx.Text(Encoding.ASCII.GetString((await ctx.ReadBodyAsync()).Span))));
        using var client = server.Raw();
        await client.SendAsync("POST /p HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        await Task.Delay(300);
        await client.SendAsync("hello");
        string all = await client.ReadToEndAsync();
        Assert.DoesNotContain("100 Continue", all);
    }

    private static T GetField<T>(object o, string name) =>
        (T)o.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(o)!;

    /// <summary>Runs <paramref name="probe"/> on the loop for the single open connection (or returns the count).</summary>
    private static async Task<T> OnLoop<T>(TestServer server, Func<Connection, T> probe, bool countOnly = false)
    {
        var httpServer = GetField<HttpServer>(server.App, "_server");
        var connections = GetField<List<Connection>>(httpServer, "_connections");
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        httpServer.Loop.Post(_ =>
        {
            try
            {
                tcs.SetResult(countOnly ? (T)(object)connections.Count : probe(connections.Single()));
            }
            catch (Exception e)
            {
                tcs.SetException(e);
            }
        }, null);
        return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
