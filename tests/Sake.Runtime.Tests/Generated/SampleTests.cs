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

    [Fact]
    public async Task TodoApiCrudOnTheLoopAndASummaryOnAWorker()
    {
        await using var server = await TestServer.StartAsync(app => app.MapTodoApi(), new Config { WorkerPoolSize = 2 });
        var created = await server.Client.PostAsync("/todos", Json("""{"title":"buy milk"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var todo = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        int id = todo.GetProperty("id").GetInt32();
        Assert.Equal($"/todos/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("buy milk", todo.GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.OK, (await server.Client.PutAsync($"/todos/{id}", Json("""{"title":"buy oat milk","done":true}"""))).StatusCode);
        Assert.Contains("\"done\":true", await server.Client.GetStringAsync($"/todos/{id}"));
        Assert.Contains("buy oat milk", await server.Client.GetStringAsync("/todos"));
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync("/todos", Json("""{"title":"  "}"""))).StatusCode);

        var summary = await server.Client.PostAsync("/reports/summary", Json("""{"items":[{"id":1,"title":"Milk and bread","done":true},{"id":2,"title":"milk","done":false}]}"""));
        Assert.Equal(
            """{"total":2,"done":1,"topWords":[{"word":"milk","count":2},{"word":"and","count":1},{"word":"bread","count":1}],"inWorkerPool":true}""",
            await summary.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/todos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/todos/{id}")).StatusCode);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
