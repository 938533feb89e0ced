using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Sake.Runtime.Tests.Infrastructure;
using Sake.Workers;

namespace Sake.Runtime.Tests.Workers;

/// <summary>
/// The hand-written codec (<see cref="WorkerCodec"/>) must write and read exactly the JSON the source-generated
/// schema (<see cref="WorkerJsonContext"/>) defines, in both directions.
/// </summary>
public sealed class WorkerCodecTests
{
    public static TheoryData<string, byte[]> Bodies => new()
    {
        { "json object", Encoding.UTF8.GetBytes("{\"a\":[1,2,{\"b\":\"q\\\"uote \\u00e9\"}],\"c\":null}") },
        { "json array", Encoding.UTF8.GetBytes("[{\"x\":1},[],\"]\"]") },
        { "text", Encoding.UTF8.GetBytes("line 1\r\n\"quoted\" \\ back\tslash é 😀") },
        { "almost json", Encoding.UTF8.GetBytes("{\"a\":1} ") },
        { "binary", new byte[] { 0xFF, 0x00, 0xC3, 0x28, 0x7B, 0x22 } },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ResponsesAgreeWithTheSourceGeneratedSchemaBothWays(string kind, byte[] body)
    {
        var ctx = new Context(new WorkerRequestHost(null!));
        ctx.BeginRequest("POST", "/x", null, 0, []);
        ctx.Status(201);
        ctx.AddHeader("Set-Cookie", "a=1; Path=/");
        ctx.AddHeader("Set-Cookie", "b=\"2\"");
        ctx.SetHeader("X-Text", "é \\ \"");
        ctx.Items["int"] = 5;
        ctx.Items["long"] = long.MaxValue;
        ctx.Items["double"] = 0.1;
        ctx.Items["decimal"] = 1.10m;
        ctx.Items["bool"] = true;
        ctx.Items["string"] = "s\"\\";
        ctx.Items["null"] = null;
        ctx.Data("application/x-" + kind.Replace(' ', '-'), body);

        byte[] payload = WorkerCodec.SerializeResponse(ctx);
        var viaSchema = JsonSerializer.Deserialize(payload, WorkerJsonContext.Boundary.WorkerResponse)!;
        var viaCodec = WorkerCodec.DeserializeResponse(payload);
        AssertSameResponse(viaSchema, viaCodec);
        Assert.Equal(201, viaCodec.Status);
        Assert.Equal(body, viaCodec.BodyJson ?? viaCodec.Body ?? viaCodec.BodyBytes ?? []);
        Assert.Equal(3, viaCodec.Headers.Count);
        Assert.Equal(7, viaCodec.Items!.Count);

        byte[] schemaPayload = JsonSerializer.SerializeToUtf8Bytes(viaSchema, WorkerJsonContext.Boundary.WorkerResponse);
        AssertSameResponse(viaSchema, WorkerCodec.DeserializeResponse(schemaPayload));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task RequestsAgreeWithTheSourceGeneratedSchemaBothWays(string kind, byte[] body)
    {
        var payloads = new ConcurrentQueue<byte[]>();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Use(ctx =>
                {
                    ctx.Items["user"] = 42;
                    ctx.AddHeader("Set-Cookie", "mw=1");
                    return ctx.Next();
                });
                app.Post("/orders/{id}/lines/{line}", async ctx =>
                {
                    var received = await ctx.ReadBodyAsync();
                    ctx.Data("application/octet-stream", received.Span);
                }).Worker();
            },
            new Config { WorkerPoolSize = 1 });
        server.App.WorkerPool!.PayloadObserver = p => payloads.Enqueue(p);

        var message = new HttpRequestMessage(HttpMethod.Post, "/orders/7/lines/%C3%A9?q=a+b&r=%22") { Content = new ByteArrayContent(body) };
        message.Headers.Add("X-Kind", kind);
        message.Headers.Add("X-Quote", "\"\\");
        var response = await server.Client.SendAsync(message);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());

        Assert.True(payloads.TryDequeue(out var payload));
        var viaSchema = JsonSerializer.Deserialize(payload, WorkerJsonContext.Boundary.WorkerContext)!;
        var viaCodec = WorkerCodec.DeserializeRequest(payload);
        AssertSameRequest(viaSchema, viaCodec);
        Assert.Equal("POST", viaCodec.Method);
        Assert.Equal("q=a+b&r=%22", viaCodec.QueryString);
        Assert.Equal("7", viaCodec.RouteValues["ID"]);
        Assert.Contains("X-Quote: \"\\\r\n", Encoding.UTF8.GetString(viaCodec.HeaderBlock!));
        Assert.Equal(body, WorkerCodec.RequestBody(viaCodec));
        Assert.Equal("mw=1", Assert.Single(viaCodec.Response.Headers)[1]);

        byte[] schemaPayload = JsonSerializer.SerializeToUtf8Bytes(viaSchema, WorkerJsonContext.Boundary.WorkerContext);
        AssertSameRequest(viaSchema, WorkerCodec.DeserializeRequest(schemaPayload));
    }

    [Theory]
    [InlineData("{\"Status\":200,\"BodyJson\":{\"a\":1},\"Close\":false}")]
    [InlineData("{\"Status\":200,\"BodyJson\":{\"a\":1}} ")]
    [InlineData("{\"Status\":200,\"BodyJson\":[1,2}")]
    public void AnEmbeddedBodyThatIsNotTheLastMemberIsRejectedNotMisread(string payload)
    {
        Assert.Throws<JsonException>(() => WorkerCodec.DeserializeResponse(Encoding.UTF8.GetBytes(payload)));
    }

    [Fact]
    public void ABodyInsideTheCarriedResponseIsReadByItsExtent()
    {
        // Loop-side middleware may have written a body before the worker handler: it sits inside "Response", not last.
        const string payload = "{\"Method\":\"GET\",\"Response\":{\"Status\":200,\"BodyJson\":{\"early\":[1]},\"Close\":true},\"Body\":\"x\"}";
        var dto = WorkerCodec.DeserializeRequest(Encoding.UTF8.GetBytes(payload));
        Assert.Equal("{\"early\":[1]}", Encoding.UTF8.GetString(dto.Response.BodyJson!));
        Assert.True(dto.Response.Close);
        Assert.Equal("x", Encoding.UTF8.GetString(dto.Body!));
    }

    private static void AssertSameRequest(WorkerContext expected, WorkerContext actual)
    {
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.RawTarget, actual.RawTarget);
        Assert.Equal(expected.QueryString, actual.QueryString);
        Assert.Equal(expected.RoutePattern, actual.RoutePattern);
        Assert.Equal(expected.HeaderBlock, actual.HeaderBlock);
        Assert.Equal(expected.RouteValues.OrderBy(kv => kv.Key), actual.RouteValues.OrderBy(kv => kv.Key));
        Assert.Equal(expected.BodyJson, actual.BodyJson);
        Assert.Equal(expected.Body, actual.Body);
        Assert.Equal(expected.BodyBytes, actual.BodyBytes);
        AssertSameItems(expected.Items, actual.Items);
        AssertSameResponse(expected.Response, actual.Response);
    }

    private static void AssertSameResponse(WorkerResponse expected, WorkerResponse actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.ContentKind, actual.ContentKind);
        Assert.Equal(expected.ContentType, actual.ContentType);
        Assert.Equal(expected.Close, actual.Close);
        Assert.Equal(expected.BodyJson, actual.BodyJson);
        Assert.Equal(expected.Body, actual.Body);
        Assert.Equal(expected.BodyBytes, actual.BodyBytes);
        Assert.Equal(expected.ErrorKind, actual.ErrorKind);
        Assert.Equal(expected.ErrorType, actual.ErrorType);
        Assert.Equal(expected.ErrorMessage, actual.ErrorMessage);
        Assert.Equal(expected.ErrorStackTrace, actual.ErrorStackTrace);
        Assert.Equal(expected.ErrorReason, actual.ErrorReason);
        AssertSameItems(expected.Items, actual.Items);
    }

    private static void AssertSameItems(List<WorkerItem>? expected, List<WorkerItem>? actual)
    {
        Assert.Equal(expected is null, actual is null);
        Assert.Equal(
            expected?.Select(i => (i.Key, i.Type, i.Value)),
            actual?.Select(i => (i.Key, i.Type, i.Value)));
    }
}
