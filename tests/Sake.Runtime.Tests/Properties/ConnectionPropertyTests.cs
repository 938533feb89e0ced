using System.Globalization;
using System.Net.Sockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sake.Fuzzing;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Properties;

/// <summary>
/// The socket-level property: a real server, generated requests (mutated in most cases) followed by a canary
/// GET, the client's sending side shut. <see cref="RequestPipeline"/> says how many requests the server accepts
/// and how the stream ends; the server must send exactly one response per accepted request, one more for a
/// rejection (its status, Connection: close) or for a request whose body failed or ended early, never a 500,
/// nothing after the last response, and close within the timeout. Every route echoes the body length and the
/// canonical path it saw, which must be the model's.
/// </summary>
public sealed class ConnectionPropertyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly byte[] Canary = "GET /canary HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray();

    /// <summary>The methods with a route; each handler reads the body, so a bad body surfaces as its rejection status.</summary>
    private static readonly string[] Routed = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    [Fact]
    public async Task EveryAcceptedRequestGetsExactlyOneResponseAndEveryRejectionEndsTheConnection()
    {
        await using var server = await TestServer.StartAsync(app =>
        {
            RequestHandler echo = async ctx =>
            {
                var body = await ctx.ReadBodyAsync();
                ctx.Text(body.Length.ToString(CultureInfo.InvariantCulture) + "|" + ctx.Path);
            };
            app.Get("/{*rest}", echo);
            app.Post("/{*rest}", echo);
            app.Put("/{*rest}", echo);
            app.Delete("/{*rest}", echo);
            app.Patch("/{*rest}", echo);
        });

        var cases =
            from requests in RequestGenerators.Pipelined
            from mutations in Gen.Frequency((1, Gen.Constant(Array.Empty<Mutation>())), (3, Mutation.Some))
            select (requests, mutations);
        PropertyRun.HoldsAsync(cases, 80, c => OneConnectionAsync(server, c.requests, c.mutations));
    }

    private static async Task OneConnectionAsync(TestServer server, GeneratedRequest[] requests, Mutation[] mutations)
    {
        var sent = Mutation.ApplyAll(requests.SelectMany(r => r.ToBytes()).ToArray(), mutations).Concat(Canary).ToArray();
        var model = RequestPipeline.Run(sent, PipelineInvariants.Default, FeedMode.Whole, 1);
        string what = $"mutations [{string.Join(", ", mutations.Select(m => m.ToString()))}], sent:\n{ParserPropertyTests.Show(sent)}\nmodel:\n{model.Describe(withBody: false)}";

        using var client = server.Raw();
        await client.SendAsync(sent);
        client.Socket.Shutdown(SocketShutdown.Send);

        var responses = new List<RawResponse>();
        bool extra = model.End == PipelineEnd.Rejected || (model.End == PipelineEnd.Incomplete && model.InBody);
        int expected = model.Requests.Count + (extra ? 1 : 0);
        try
        {
            for (int i = 0; i < expected; i++)
            {
                string? method = i < model.Requests.Count ? model.Requests[i].Method : model.InBody ? model.BodyMethod : model.RejectedMethod;
                RawResponse response;
                do
                {
                    response = await client.ReadResponseAsync(headRequest: method == "HEAD", timeout: Timeout);
                }
                while (response.Status < 200);
                responses.Add(response);
            }

            string rest = await client.ReadToEndAsync(Timeout);
            Assert.True(rest.Length == 0, $"bytes after the last expected response:\n{rest}\n{what}");
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            Assert.Fail($"{e.Message}\nafter {responses.Count} of {expected} responses; {what}");
        }

        for (int i = 0; i < responses.Count; i++)
        {
            var response = responses[i];
            Assert.True(response.Status != 500, $"a 500:\n{response.Raw}\n{what}");
            if (i < model.Requests.Count && response.Status == 200 && Routed.Contains(model.Requests[i].Method) && model.Requests[i].Path != "*")
            {
                var request = model.Requests[i];
                string echoed = (request.Body?.Length ?? 0).ToString(CultureInfo.InvariantCulture) + "|" + request.Path;
                Assert.True(echoed == response.Body, $"request {i}: the server saw {response.Body}, the model {echoed}\n{what}");
            }
        }

        var last = responses.Count > 0 ? responses[^1] : null;
        if (model.End == PipelineEnd.Rejected && (!model.InBody || Routed.Contains(model.BodyMethod)))
        {
            Assert.True(last!.Status == model.Status, $"expected {model.Status} ({model.Reason}), got:\n{last.Raw}\n{what}");
            Assert.True(last.ConnectionClose, $"a rejection without Connection: close:\n{last.Raw}\n{what}");
        }
        else if (model.End == PipelineEnd.Incomplete && model.InBody && Routed.Contains(model.BodyMethod))
        {
            Assert.True(last!.Status == 400, $"a body cut short should get 400, got:\n{last.Raw}\n{what}");
        }
        else if (model.End == PipelineEnd.Closed)
        {
            Assert.True(last!.ConnectionClose, $"the last response before the server closes lacks Connection: close:\n{last.Raw}\n{what}");
        }
    }
}
