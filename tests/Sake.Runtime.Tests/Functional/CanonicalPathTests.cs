using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

/// <summary>
/// The router and group middleware see one canonical path, so encodings and dot segments cannot slip past a
/// prefix check.
/// </summary>
public sealed class CanonicalPathTests
{
    private static Task<TestServer> StartAsync(List<string> guardSaw) => TestServer.StartAsync(app =>
    {
        var admin = app.Group("/admin", ctx =>
        {
            guardSaw.Add(ctx.Path);
            ctx.AbortWithStatus(403);
            return default;
        });
        admin.Get("/", ctx => ctx.Text("admin root"));
        admin.Get("/secret", ctx => ctx.Text("secret"));
        app.Get("/{*rest}", ctx => ctx.Text("public:" + ctx.Path));
        app.Get("/files/{name}", ctx => ctx.Text("file:" + ctx.Param("name")));
    });

    [Theory]
    [InlineData("/admin/secret")]
    [InlineData("/%61dmin/secret")]
    [InlineData("/%61%64%6D%69%6E/secret")]
    [InlineData("/x/../admin/secret")]
    [InlineData("/x/%2e%2e/admin/secret")]
    [InlineData("/x/%2E%2E/admin/secret")]
    [InlineData("/./admin/./secret")]
    [InlineData("/../../admin/secret")]
    [InlineData("/admin/x/../secret")]
    [InlineData("/admin")]
    [InlineData("/ADMIN/secret")]
    public async Task EncodedAndDottedPathsReachTheGroupGuard(string target)
    {
        var saw = new List<string>();
        await using var server = await StartAsync(saw);
        using var raw = server.Raw();
        await raw.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(403, r.Status);
        Assert.Single(saw);
        Assert.StartsWith("/", saw[0]);
        Assert.DoesNotContain("..", saw[0]);
        Assert.DoesNotContain("%", saw[0]);
    }

    [Theory]
    [InlineData("/files/a%20b", "file:a b")]
    [InlineData("/files/caf%C3%A9", "file:café")]
    [InlineData("/files/a+b", "file:a+b")]
    [InlineData("/files/x/../y", "file:y")]
    public async Task ParametersSeeDecodedValues(string target, string expected)
    {
        await using var server = await StartAsync(new List<string>());
        using var raw = server.Raw();
        await raw.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(expected, (await raw.ReadResponseAsync()).Body);
    }

    [Theory]
    [InlineData("/admin%2Fsecret", 400)]
    [InlineData("/files/a%2fb", 400)]
    [InlineData("/files/a%00b", 400)]
    [InlineData("/files/a%0Ab", 400)]
    [InlineData("/files/a%zzb", 400)]
    [InlineData("/files/a%4", 400)]
    [InlineData("/files/%C0%AE%C0%AE", 400)]
    [InlineData("/files/%FF", 400)]
    public async Task UnsafeEncodingsAreRejected(string target, int status)
    {
        await using var server = await StartAsync(new List<string>());
        using var raw = server.Raw();
        await raw.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\nGET /files/hidden HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = await raw.ReadResponseAsync();
        Assert.Equal(status, r.Status);
        Assert.True(r.ConnectionClose);
        Assert.True(await raw.IsClosedByServerAsync());
    }

    [Fact]
    public async Task QueryIsDecodedSeparately()
    {
        await using var server = await TestServer.StartAsync(app =>
            app.Get("/q", ctx => ctx.Text($"{ctx.Query("a")}|{ctx.Query("b")}|{ctx.Query("missing") ?? "null"}|{ctx.QueryString}|{ctx.Uri}")));
        using var raw = server.Raw();
        await raw.SendAsync("GET /q?a=1+2%2F3&b=%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("1 2/3|é|null|a=1+2%2F3&b=%C3%A9|/q?a=1+2%2F3&b=%C3%A9", (await raw.ReadResponseAsync()).Body);
    }
}
