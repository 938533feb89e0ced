using System.Net;
using System.Text.Json;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Generated;

/// <summary>
/// The samples' own handler files (linked into this project) compiled with the generator and served over real
/// sockets: attribute and fluent styles, loop and worker modes, bad parameters.
/// </summary>
public sealed class SampleTests
{
    [Fact]
    public async Task HelloWorldRoutes()
    {
        await using var server = await TestServer.StartAsync(app => app.MapHelloApi());
        Assert.Equal("Hello, World!", await server.Client.GetStringAsync("/plaintext"));
        Assert.Equal("""{"message":"Hello, World!"}""", await server.Client.GetStringAsync("/json"));
        Assert.Equal("Hello, Ada! Hello, Ada!", await server.Client.GetStringAsync("/hello/Ada?times=2"));
        var bad = await server.Client.GetAsync("/hello/Ada?times=twice");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Query parameter 'times' is not a valid int.", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task CpuBoundRoutesRunOnWorkersAndTheLoop()
    {
        await using var server = await TestServer.StartAsync(CpuRoutes.Map, new Config { WorkerPoolSize = 2 });
        Assert.Equal("""{"n":20,"value":6765,"inWorkerPool":true}""", await server.Client.GetStringAsync("/fib/20"));
        Assert.Equal("""{"hash":"9800d3c0ce314572","inWorkerPool":true}""", await server.Client.GetStringAsync("/hash?iterations=10"));
        Assert.Equal("slept 1 ms", await server.Client.GetStringAsync("/sleep/1"));

        var tooBig = await server.Client.GetAsync("/fib/41");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        var notANumber = await server.Client.GetAsync("/hash?iterations=lots");
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Equal("Query parameter 'iterations' is not a valid int.", JsonDocument.Parse(await notANumber.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }
}
