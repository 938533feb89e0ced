using BenchmarkDotNet.Attributes;
using Sake.Workers;

namespace Sake.Benchmarks;

/// <summary>
/// Spec SC-003: the cost of the JSON worker boundary for one realistic request (≈700 B of headers, 1 KiB JSON
/// body, 1 KiB JSON response), as a share of a 400 µs handler (spec &lt; 2 %, goal ≤ 1 %).
/// </summary>
/// <remarks>
/// <para>The codec benchmarks run the boundary's four JSON steps alone, through the real <see cref="WorkerCodec"/>
/// on real <see cref="Context"/> objects (no sockets, no threads).</para>
/// <para><see cref="WorkerRoundTrip"/> minus <see cref="LoopRoundTrip"/> is the whole boundary as the server pays
/// it: the four codec steps plus the queue hand-off to a worker thread, its wake-up, and the post back to the
/// loop. Both send the same request over one blocking keep-alive socket to a real <see cref="SakeApp"/> in this
/// process; the handler is the same, only <c>.Worker()</c> differs.</para>
/// <para>Allocated bytes are process-wide (server threads included) for the round trips.</para>
/// </remarks>
[MemoryDiagnoser]
// Median and Min next to Mean: on a shared, busy machine the mean carries scheduler noise; Min is the quiet-machine estimate.
[MedianColumn]
[MinColumn]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class WorkerBoundaryBenchmarks
{

    private byte[] _requestJson = null!;
    private byte[] _responseJson = null!;
    private Context _loopContext = null!;
    private WorkerRequestHost _workerHost = null!;
    private Context _workerContext = null!;
    private Context _handledContext = null!;

    private SakeApp? _app;
    private KeepAliveClient? _client;
    private byte[] _loopRequest = null!;
    private byte[] _workerRequest = null!;
    private byte[] _loop400Request = null!;
    private byte[] _worker400Request = null!;

    [GlobalSetup(Targets = [nameof(SerializeRequest), nameof(DeserializeRequest), nameof(SerializeResponse), nameof(DeserializeResponseAndApply)])]
    public void SetupCodec()
    {
        // The loop-side Context as the dispatcher sees it: request parsed, body read, response untouched.
        _loopContext = new Context(new BenchRequestHost(Payload.Headers, Payload.RequestBody));
        _loopContext.BeginRequest("POST", "/worker", null, 0, []);
        _requestJson = WorkerCodec.SerializeRequest(_loopContext, Payload.RequestBody);

        // The worker's own Context, as Worker.Run sets it up.
        _workerHost = new WorkerRequestHost(null!);
        _workerContext = new Context(_workerHost);

        // A worker Context after the handler wrote its 1 KiB JSON answer.
        _handledContext = new Context(new WorkerRequestHost(null!));
        _handledContext.BeginRequest("POST", "/worker", null, 0, []);
        Respond(_handledContext);
        _responseJson = WorkerCodec.SerializeResponse(_handledContext);

        Console.WriteLine($"// headers on the wire: {Payload.HeaderBytes} B in {Payload.Headers.Length} headers; request body {Payload.RequestBody.Length} B; response body {Payload.ResponseBody.Length} B");
        Console.WriteLine($"// boundary JSON: request {_requestJson.Length} B, response {_responseJson.Length} B");
    }

    [GlobalSetup(Targets = [nameof(LoopRoundTrip), nameof(WorkerRoundTrip), nameof(LoopRoundTrip400), nameof(WorkerRoundTrip400)])]
    public void SetupServer()
    {
        var spin = Environment.GetEnvironmentVariable("SAKE_IDLE_SPIN_US") is { } us ? TimeSpan.FromMicroseconds(double.Parse(us, System.Globalization.CultureInfo.InvariantCulture)) : new Config().WorkerIdleSpin;
        _app = new SakeApp(new Config { WorkerPoolSize = 1, WorkerIdleSpin = spin });
        Console.WriteLine($"// WorkerIdleSpin {spin.TotalMicroseconds} µs");
        RequestHandler handler = Handle;
        _app.Post("/loop", handler);
        _app.Post("/worker", handler).Worker();
        RequestHandler slow = Handle400;
        _app.Post("/loop400", slow);
        _app.Post("/worker400", slow).Worker();
        _app.StartAsync("http://127.0.0.1:0").GetAwaiter().GetResult();
        _client = new KeepAliveClient(_app.LocalEndPoint!);
        _loopRequest = Payload.HttpRequest("/loop");
        _workerRequest = Payload.HttpRequest("/worker");
        _loop400Request = Payload.HttpRequest("/loop400");
        _worker400Request = Payload.HttpRequest("/worker400");

        // Both routes must answer the same 200 with the same 1 KiB JSON, or the difference measures something else.
        foreach (var request in new[] { _loopRequest, _workerRequest, _loop400Request, _worker400Request })
        {
            int status = _client.RoundTrip(request);
            if (status != 200 || !_client.LastBody.AsSpan().SequenceEqual(Payload.ResponseBody))
            {
                throw new InvalidOperationException($"Unexpected response: {status}, {_client.LastBody.Count} B.");
            }
        }

        Console.WriteLine($"// request on the wire: {_workerRequest.Length} B (headers {Payload.HeaderBytes} B)");
    }

    [GlobalCleanup(Targets = [nameof(LoopRoundTrip), nameof(WorkerRoundTrip), nameof(LoopRoundTrip400), nameof(WorkerRoundTrip400)])]
    public void CleanupServer()
    {
        _client?.Dispose();
        _app?.StopAsync().GetAwaiter().GetResult();
    }

    /// <summary>Loop side, before the hand-off: copy the Context into the DTO and serialize it (WorkerDispatcher).</summary>
    [Benchmark]
    public byte[] SerializeRequest() => WorkerCodec.SerializeRequest(_loopContext, Payload.RequestBody);

    /// <summary>Worker side, on arrival: deserialize and load the worker's Context (the steps of Worker.Run).</summary>
    [Benchmark]
    public Context DeserializeRequest()
    {
        var request = WorkerCodec.DeserializeRequest(_requestJson);
        _workerHost.Load(request);
        var ctx = _workerContext;
        ctx.BeginRequest(request.Method, request.Path, null, 0, [], request.RouteValues);
        WorkerCodec.ApplyResponse(ctx, request.Response, includeItems: false);
        WorkerCodec.LoadItems(ctx, request.Items);
        return ctx;
    }

    /// <summary>Worker side, after the handler: capture its response and serialize it.</summary>
    [Benchmark]
    public byte[] SerializeResponse() => WorkerCodec.SerializeResponse(_handledContext);

    /// <summary>Loop side, on return: deserialize the response and make it the connection Context's response.</summary>
    [Benchmark]
    public Context DeserializeResponseAndApply()
    {
        var response = WorkerCodec.DeserializeResponse(_responseJson);
        WorkerCodec.ApplyResponse(_loopContext, response, includeItems: true);
        return _loopContext;
    }

    /// <summary>The request on a loop route: socket, parse, route, handler, write. No boundary.</summary>
    [Benchmark(Baseline = true)]
    public int LoopRoundTrip() => _client!.RoundTrip(_loopRequest);

    /// <summary>The same request on a <c>.Worker()</c> route: everything above plus the whole boundary.</summary>
    [Benchmark]
    public int WorkerRoundTrip() => _client!.RoundTrip(_workerRequest);

    /// <summary>SC-003's "typical workload": the same request with a handler that computes for 400 µs, on the loop.</summary>
    [Benchmark]
    public int LoopRoundTrip400() => _client!.RoundTrip(_loop400Request);

    /// <summary>The 400 µs handler as a <c>.Worker()</c> route: the difference is the boundary's share of a real request.</summary>
    [Benchmark]
    public int WorkerRoundTrip400() => _client!.RoundTrip(_worker400Request);

    /// <summary>
    /// The 400 µs handler: 400 µs of wall time of arithmetic (not PAUSE spinning, which a hypervisor's pause-loop
    /// exiting may deschedule), then the same answer.
    /// </summary>
    private static ValueTask Handle400(Context ctx)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency * 400 / 1_000_000);
        ulong x = 88172645463325252UL;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            for (int i = 0; i < 256; i++)
            {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
        }

        ctx.Items["work"] = (long)(x & 1);
        return Handle(ctx);
    }

    /// <summary>The trivial handler: read the JSON body, answer 1 KiB of JSON. Identical on both routes.</summary>
    private static async ValueTask Handle(Context ctx)
    {
        var body = await ctx.ReadBodyAsync();
        if (body.Length != Payload.BodySize)
        {
            ctx.Status(400).Text("unexpected body");
            return;
        }

        Respond(ctx);
    }

    private static void Respond(Context ctx) => ctx.Data("application/json", Payload.ResponseBody);
}
