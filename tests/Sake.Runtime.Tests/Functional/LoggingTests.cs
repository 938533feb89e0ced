using Microsoft.Extensions.Logging;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Functional;

public sealed class LoggingTests
{
    [Fact]
    public async Task LoggerMiddlewareWritesOneLinePerRequestWithStatusAndDuration()
    {
        var log = new ListLogger();
        await using var server = await TestServer.StartAsync(app =>
        {
            app.Use(Middleware.Logger(log));
            app.Get("/ok", ctx => ctx.Text("ok"));
            app.Get("/slow", async ctx =>
            {
                await Task.Delay(30);
                ctx.Status(201).Text("slow");
            });
        });

        await server.Client.GetStringAsync("/ok");
        await server.Client.GetStringAsync("/slow");
        await server.Client.GetAsync("/missing");
        var lines = log.Entries.Select(e => e.Message).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^GET /ok 200 \d+\.\d{3} ms$", lines[0]);
        Assert.Matches(@"^GET /slow 201 (\d+)\.\d{3} ms$", lines[1]);
        Assert.True(double.Parse(lines[1].Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture) >= 25);
        Assert.Matches(@"^GET /missing 404 ", lines[2]);
    }

    [Fact]
    public async Task RecoveryAndUnhandledErrorsAreLoggedThroughConfigLoggerFactory()
    {
        var log = new ListLogger();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Group("/recovered", Middleware.Recovery()).Get("/x", ctx => throw new InvalidOperationException("r1"));
                app.Get("/unhandled", ctx => throw new InvalidOperationException("u1"));
            },
            new Config { LoggerFactory = log });

        await server.Client.GetAsync("/recovered/x");
        await server.Client.GetAsync("/unhandled");
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "r1");
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "u1");
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("Sake listening on http://127.0.0.1:", StringComparison.Ordinal));
    }
}
