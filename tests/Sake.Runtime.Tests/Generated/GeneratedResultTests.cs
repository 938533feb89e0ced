using System.Net;
using System.Net.Http.Json;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Generated;

public sealed record Ticket(int Id, string Title);

/// <summary>Handlers that answer with <see cref="Result"/> and <see cref="Result{T}"/> values.</summary>
public static partial class TicketApi
{
    private static readonly Dictionary<int, Ticket> Tickets = new() { [1] = new Ticket(1, "first") };

    [Get("/tickets/{id:int}")]
    public static Result<Ticket> Find(int id) =>
        Tickets.TryGetValue(id, out var ticket) ? ticket : Result.NotFound($"no ticket {id}");

    [Post("/tickets"), Worker]
    public static Result<Ticket> Create(Ticket ticket) =>
        ticket.Title.Length == 0 ? Result<Ticket>.BadRequest("a title is required") : Result<Ticket>.Created($"/tickets/{ticket.Id}", ticket);

    [Delete("/tickets/{id:int}")]
    public static async Task<Result> Delete(int id)
    {
        await Task.Yield();
        return id == 1 ? Result.NoContent() : Result.NotFound();
    }
}

public sealed class GeneratedResultTests
{
    [Fact]
    public async Task ResultValuesSetStatusLocationAndBodyOnTheLoopAndOnWorkers()
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.MapTicketApi();
                app.Put("/fluent/tickets/{id:int}", (int id, Ticket ticket) => id == ticket.Id ? Result<Ticket>.Status(202, ticket) : Result.Status(409, "id mismatch"));
            },
            new Config { WorkerPoolSize = 1 });

        Assert.Equal(new Ticket(1, "first"), await server.Client.GetFromJsonAsync("/tickets/1", TicketJson.Ticket));

        var missing = await server.Client.GetAsync("/tickets/9");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no ticket 9", await missing.Content.ReadAsStringAsync());

        var created = await server.Client.PostAsJsonAsync("/tickets", new Ticket(7, "seven"), TicketJson.Ticket);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/tickets/7", created.Headers.Location!.OriginalString);
        Assert.Equal(new Ticket(7, "seven"), await created.Content.ReadFromJsonAsync(TicketJson.Ticket));

        var invalid = await server.Client.PostAsJsonAsync("/tickets", new Ticket(8, ""), TicketJson.Ticket);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync("/tickets/1")).StatusCode);
        var gone = await server.Client.DeleteAsync("/tickets/2");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(await gone.Content.ReadAsByteArrayAsync());

        var accepted = await server.Client.PutAsJsonAsync("/fluent/tickets/3", new Ticket(3, "x"), TicketJson.Ticket);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var conflict = await server.Client.PutAsJsonAsync("/fluent/tickets/3", new Ticket(4, "x"), TicketJson.Ticket);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    /// <summary>The test's own view of the payload, through the metadata Sake generated for it.</summary>
    private static class TicketJson
    {
        public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<Ticket> Ticket =>
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Ticket>)Sake.Generated.SakeJsonResolver.Options.GetTypeInfo(typeof(Ticket));
    }
}
