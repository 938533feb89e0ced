using System.Diagnostics;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Conformance;

/// <summary>
/// RFC 9110/9112 conformance over real sockets, for the cases in <see cref="ConformanceSuite"/>. Every rejected
/// request carries a second, complete <c>GET /hit</c> inside or right after its bad bytes; the <c>/hit</c> counter must
/// stay 0, so nothing was smuggled. Each test gets a fresh server and its own counter (xunit creates one class instance
/// per test case).
/// </summary>
public sealed class StrictParsingTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private int _hits;

    /// <summary>Which <see cref="Config"/> a case runs under (an enum so theory data stays serializable).</summary>
    public enum Limits
    {
        Default,
        ShortRequestLine,
        SmallHeaderBlock,
        FewHeaders,
        SmallBody,
        ShortChunkExtension,
    }

    /// <summary>What the connection must do after an exchange's last reply.</summary>
    public enum After
    {
        /// <summary>No Connection: close, and a further GET /hit on it is served.</summary>
        KeepsOpen,

        /// <summary>The last reply carries Connection: close and the server closes.</summary>
        Closes,
    }

    public static TheoryData<string, string, int, Limits> RejectedCases => ConformanceSuite.Cases.Rejected;

    public static TheoryData<string, string, string[], Limits> AcceptedCases => ConformanceSuite.Cases.Accepted;

    public static TheoryData<string, string, string[], After, int, Limits> ExchangeCases => ConformanceSuite.Cases.Exchanges;

    [Theory]
    [MemberData(nameof(RejectedCases))]
    public async Task Rejects(string name, string request, int expectedStatus, Limits limits)
    {
        await using var server = await StartAsync(limits);
        using var client = server.Raw();
        await client.SendAsync(request);

        var response = await client.ReadResponseAsync(timeout: ReadTimeout);
        Assert.True(expectedStatus == response.Status, $"{name}: expected {expectedStatus}, got:\n{response.Raw}");
        Assert.True(response.ConnectionClose, $"{name}: no Connection: close in:\n{response.Raw}");
        Assert.True(await client.IsClosedByServerAsync(ReadTimeout), $"{name}: the server kept the connection open");
        Assert.True(Volatile.Read(ref _hits) == 0, $"{name}: the hidden GET /hit was served ({_hits}x)");
    }

    [Theory]
    [MemberData(nameof(AcceptedCases))]
    public async Task Accepts(string name, string request, string[] expectedBodies, Limits limits)
    {
        await using var server = await StartAsync(limits);
        using var client = server.Raw();
        await client.SendAsync(request);

        foreach (var body in expectedBodies)
        {
            var response = await client.ReadResponseAsync(timeout: ReadTimeout);
            Assert.True(response.Status == 200, $"{name}: expected 200, got:\n{response.Raw}");
            Assert.Equal(body, response.Body);
            Assert.False(response.ConnectionClose, $"{name}: unexpected Connection: close in:\n{response.Raw}");
        }

        await AssertConnectionStillServesAsync(client, name);
        Assert.Equal(expectedBodies.Count(b => b == "hit") + 1, Volatile.Read(ref _hits));
    }

    [Theory]
    [MemberData(nameof(ExchangeCases))]
    public async Task Exchanges(string name, string request, string[] replies, After after, int hits, Limits limits)
    {
        await using var server = await StartAsync(limits);
        using var client = server.Raw();
        await client.SendAsync(request);

        RawResponse? last = null;
        foreach (var reply in replies)
        {
            var parts = reply.Split('|');
            bool head = parts[0].StartsWith("HEAD ", StringComparison.Ordinal);
            int status = int.Parse(head ? parts[0][5..] : parts[0], System.Globalization.CultureInfo.InvariantCulture);
            last = await client.ReadResponseAsync(headRequest: head, timeout: ReadTimeout);
            Assert.True(status == last.Status, $"{name}: expected {status}, got:\n{last.Raw}");
            if (parts.Length > 1)
            {
                Assert.Equal(parts[1], last.Body);
            }

            if (parts.Length > 2)
            {
                var header = parts[2].Split(": ", 2);
                Assert.True(string.Equals(header[1], last.Header(header[0]), StringComparison.OrdinalIgnoreCase), $"{name}: expected {parts[2]} in:\n{last.Raw}");
            }
        }

        if (after == After.Closes)
        {
            Assert.True(last!.ConnectionClose, $"{name}: no Connection: close in:\n{last.Raw}");
            Assert.True(await client.IsClosedByServerAsync(ReadTimeout), $"{name}: the server kept the connection open");
            Assert.Equal(hits, Volatile.Read(ref _hits));
        }
        else
        {
            Assert.False(last!.ConnectionClose, $"{name}: unexpected Connection: close in:\n{last.Raw}");
            await AssertConnectionStillServesAsync(client, name);
            Assert.Equal(hits + 1, Volatile.Read(ref _hits));
        }
    }

    [Fact]
    public async Task OptionsAsteriskIsAnsweredWithAllow()
    {
        await using var server = await StartAsync(Limits.Default);
        using var client = server.Raw();
        await client.SendAsync("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");

        var response = await client.ReadResponseAsync(timeout: ReadTimeout);
        Assert.Equal(200, response.Status);
        Assert.False(string.IsNullOrWhiteSpace(response.Header("Allow")), "OPTIONS * without an Allow header:\n" + response.Raw);
        Assert.False(response.ConnectionClose);
        await AssertConnectionStillServesAsync(client, "OPTIONS *");
        Assert.Equal(1, Volatile.Read(ref _hits));
    }

    [Fact]
    public async Task Http10WithoutHostIsAccepted()
    {
        await using var server = await StartAsync(Limits.Default);
        using var client = server.Raw();
        await client.SendAsync("GET /hit HTTP/1.0\r\n\r\n");

        var response = await client.ReadResponseAsync(timeout: ReadTimeout);
        Assert.Equal(200, response.Status);
        Assert.Equal("hit", response.Body);
        Assert.Equal(1, Volatile.Read(ref _hits));
    }

    [Fact]
    public async Task IncompleteHeadersTimeOutWith408()
    {
        var config = new Config { RequestHeadersTimeout = TimeSpan.FromMilliseconds(500) };
        await using var server = await TestServer.StartAsync(Routes, config);
        using var client = server.Raw();
        var clock = Stopwatch.StartNew();
        await client.SendAsync("GET /hit HTTP/1.1\r\nHost: x\r\n");

        var response = await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        var elapsed = clock.Elapsed;
        Assert.Equal(408, response.Status);
        Assert.True(response.ConnectionClose, "no Connection: close in:\n" + response.Raw);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(300), $"408 after only {elapsed.TotalMilliseconds} ms");
        Assert.True(await client.IsClosedByServerAsync(ReadTimeout), "the server kept the connection open after 408");
        Assert.Equal(0, Volatile.Read(ref _hits));
    }

    private async Task AssertConnectionStillServesAsync(RawClient client, string name)
    {
        await client.SendAsync(Requests.Hidden);
        var second = await client.ReadResponseAsync(timeout: ReadTimeout);
        Assert.True(second.Status == 200, $"{name}: the follow-up GET /hit got:\n{second.Raw}");
        Assert.Equal("hit", second.Body);
    }

    private Task<TestServer> StartAsync(Limits limits) => TestServer.StartAsync(Routes, ConfigFor(limits));

    private void Routes(SakeApp app)
    {
        app.Get("/hit", ctx =>
        {
            Interlocked.Increment(ref _hits);
            ctx.Text("hit");
        });
        app.Get("/", ctx => ctx.Text("root"));
        app.Get("/echo-path/{*rest}", ctx => ctx.Text(ctx.Path));
        app.Post("/echo", async ctx => ctx.Text(await ctx.ReadBodyStringAsync()));
        app.Post("/ignore", ctx => ctx.Text("ignored"));
    }

    private static Config ConfigFor(Limits limits) => limits switch
    {
        Limits.ShortRequestLine => new Config { MaxRequestLineSize = Requests.ShortRequestLine },
        Limits.SmallHeaderBlock => new Config { MaxRequestHeadersTotalSize = Requests.SmallHeaderBlock },
        Limits.FewHeaders => new Config { MaxRequestHeaderCount = Requests.FewHeaders },
        Limits.SmallBody => new Config { MaxRequestBodySize = Requests.SmallBody },
        Limits.ShortChunkExtension => new Config { MaxChunkExtensionLength = Requests.ShortChunkExtension },
        _ => new Config(),
    };
}
