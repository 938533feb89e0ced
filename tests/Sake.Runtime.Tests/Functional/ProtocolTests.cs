using System.Net.Sockets;
using System.Text;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class ProtocolTests
{
    private static Task<TestServer> StartAsync(Config? config = null) => TestServer.StartAsync(app =>
    {
        app.Get("/plaintext", ctx => ctx.Text("Hello, World!"));
        app.Get("/slow/{ms:int}", async ctx =>
        {
            await Task.Delay(int.Parse(ctx.Param("ms")!));
            ctx.Text("slow " + ctx.Param("ms"));
        });
        app.Get("/n/{n}", ctx => ctx.Text("n=" + ctx.Param("n")));
        app.Post("/echo", async ctx => ctx.Text(await ctx.ReadBodyStringAsync()));
        app.Post("/ignore", ctx => ctx.Text("ignored"));
        app.Get("/stream", async ctx =>
        {
            await ctx.WriteAsync("part1,"u8.ToArray());
            await Task.Yield();
            await ctx.WriteAsync("part2"u8.ToArray());
        });
        app.Get("/close", ctx => ctx.SetHeader("Connection", "close").Text("bye"));
    }, config);

    [Fact]
    public async Task KeepAliveReusesOneConnection()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        for (int i = 0; i < 5; i++)
        {
            await raw.SendAsync($"GET /n/{i} HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = await raw.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.Equal($"n={i}", r.Body);
            Assert.False(r.ConnectionClose);
        }
    }

    [Fact]
    public async Task PipelinedResponsesComeBackInOrderEvenWhenEarlierOnesAreSlower()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync(
            "GET /slow/150 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /slow/10 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /n/4 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("slow 150", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("n=2", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("slow 10", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("n=4", (await raw.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task PipelinedResponsesForBufferedRequestsAreWrittenInOneSend()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("GET /n/0 HTTP/1.1\r\nHost: x\r\n\r\n");
        await raw.ReadResponseAsync();
        long before = server.App.SendCalls;
        var batch = new StringBuilder();
        for (int i = 1; i <= 10; i++)
        {
            batch.Append($"GET /n/{i} HTTP/1.1\r\nHost: x\r\n\r\n");
        }

        await raw.SendAsync(batch.ToString());
        for (int i = 1; i <= 10; i++)
        {
            Assert.Equal($"n={i}", (await raw.ReadResponseAsync()).Body);
        }

        Assert.Equal(1, server.App.SendCalls - before);
    }

    [Fact]
    public async Task ContentLengthAndChunkedBodiesAreRead()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        Assert.Equal("hello", (await raw.ReadResponseAsync()).Body);
        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nTrailer-A: 1\r\n\r\n");
        Assert.Equal("hello world!", (await raw.ReadResponseAsync()).Body);
        await raw.SendAsync("GET /n/after HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("n=after", (await raw.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task ChunkedBodyArrivingOneByteAtATimeIsDecoded()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        foreach (char c in "3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n")
        {
            await raw.SendAsync(c.ToString());
            await Task.Delay(2);
        }

        Assert.Equal("abc0123456789", (await raw.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task UnreadBodyIsDrainedSoTheNextRequestParses()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /n/1 HT" +
                            "POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n" +
                            "GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ignored", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("ignored", (await raw.ReadResponseAsync()).Body);
        Assert.Equal("n=2", (await raw.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task AnUnreadChunkedBodyIsStillBoundedByTheBodyLimit()
    {
        int hits = 0;
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Post("/ignore", ctx => ctx.Text("ignored"));
                app.Get("/hit", ctx =>
                {
                    hits++;
                    ctx.Text("hit");
                });
            },
            new Config { MaxRequestBodySize = 100 });
        using var raw = server.Raw();
        var chunk = new string('a', 60);
        await raw.SendAsync($"POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n{chunk}\r\n3c\r\n{chunk}\r\n0\r\n\r\nGET /hit HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ignored", (await raw.ReadResponseAsync()).Body);
        Assert.True(await raw.IsClosedByServerAsync());
        Assert.Equal(0, hits);
    }

    [Fact]
    public async Task ExpectContinueSends100OnlyWhenTheBodyIsRead()
    {
        await using var server = await StartAsync();
        using (var raw = server.Raw())
        {
            await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            var interim = await raw.ReadResponseAsync();
            Assert.Equal(100, interim.Status);
            await raw.SendAsync("ping");
            var final = await raw.ReadResponseAsync();
            Assert.Equal(200, final.Status);
            Assert.Equal("ping", final.Body);
        }

        using (var raw = server.Raw())
        {
            // The handler never reads the body: no 100, a final answer, and the connection closes (the client may
            // or may not send the body now, so the framing is unknown).
            await raw.SendAsync("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            var final = await raw.ReadResponseAsync();
            Assert.Equal(200, final.Status);
            Assert.Equal("ignored", final.Body);
            Assert.True(final.ConnectionClose);
            Assert.DoesNotContain("100 Continue", final.Raw);
        }
    }

    [Fact]
    public async Task HeadGetsTheGetHeadersWithoutABody()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await raw.ReadResponseAsync(headRequest: true);
        Assert.Equal(200, head.Status);
        Assert.Equal("13", head.Header("Content-Length"));
        Assert.EndsWith("\r\n\r\n", head.Raw);
        var get = await raw.ReadResponseAsync();
        Assert.Equal("Hello, World!", get.Body);
    }

    [Fact]
    public async Task Http10ClosesUnlessKeepAliveAndIsNeverChunked()
    {
        await using var server = await StartAsync();
        using (var raw = server.Raw())
        {
            await raw.SendAsync("GET /plaintext HTTP/1.0\r\n\r\n");
            var r = await raw.ReadResponseAsync();
            Assert.Equal("Hello, World!", r.Body);
            Assert.True(r.ConnectionClose);
            Assert.True(await raw.IsClosedByServerAsync());
        }

        using (var raw = server.Raw())
        {
            await raw.SendAsync("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var r = await raw.ReadResponseAsync();
            Assert.Equal("keep-alive", r.Header("Connection"));
            await raw.SendAsync("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var streamed = await raw.ReadToEndAsync();
            Assert.DoesNotContain("chunked", streamed, StringComparison.OrdinalIgnoreCase);
            Assert.EndsWith("part1,part2", streamed);
        }
    }

    [Fact]
    public async Task StreamedResponseIsChunkedOnHttp11()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal("chunked", r.Header("Transfer-Encoding"));
        Assert.Null(r.Header("Content-Length"));
        Assert.Equal("part1,part2", r.Body);
        await raw.SendAsync("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("n=1", (await raw.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task ConnectionCloseIsHonouredBothWays()
    {
        await using var server = await StartAsync();
        using (var raw = server.Raw())
        {
            await raw.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /n/ignored HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = await raw.ReadResponseAsync();
            Assert.True(r.ConnectionClose);
            Assert.Equal("", await raw.ReadToEndAsync());
        }

        using (var raw = server.Raw())
        {
            await raw.SendAsync("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = await raw.ReadResponseAsync();
            Assert.Equal("bye", r.Body);
            Assert.True(r.ConnectionClose);
            Assert.True(await raw.IsClosedByServerAsync());
        }
    }

    [Fact]
    public async Task HalfClosedClientStillGetsEveryResponse()
    {
        await using var server = await StartAsync();
        using var raw = server.Raw();
        await raw.SendAsync("GET /slow/50 HTTP/1.1\r\nHost: x\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.Socket.Shutdown(SocketShutdown.Send);
        var all = await raw.ReadToEndAsync();
        Assert.Contains("slow 50", all);
        Assert.EndsWith("n=2", all);
    }

    [Fact]
    public async Task DateHeaderIsPresentAndCurrent()
    {
        await using var server = await StartAsync();
        var response = await server.Client.GetAsync("/plaintext");
        var date = response.Headers.Date;
        Assert.NotNull(date);
        Assert.InRange((DateTimeOffset.UtcNow - date!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HttpClientRoundTrips()
    {
        await using var server = await StartAsync();
        Assert.Equal("Hello, World!", await server.Client.GetStringAsync("/plaintext"));
        var post = await server.Client.PostAsync("/echo", new StringContent("über"));
        Assert.Equal("über", await post.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Client.GetAsync("/missing")).StatusCode);
        var notAllowed = await server.Client.DeleteAsync("/plaintext");
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", notAllowed.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("HEAD /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("HEAD /x HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n", 413)]
    public async Task ARejectedHeadRequestGetsHeadersWithoutContent(string request, int status)
    {
        await using var server = await TestServer.StartAsync(app => app.Get("/x", ctx => ctx.Text("x")));
        using var client = server.Raw();
        await client.SendAsync(request);

        // Everything up to the close: the answer's head and nothing after its blank line (RFC 9110 §9.3.2).
        string all = await client.ReadToEndAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith($"HTTP/1.1 {status} ", all, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", all, StringComparison.Ordinal);
        Assert.Contains("Content-Length: ", all, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", all, StringComparison.Ordinal);
    }
}
