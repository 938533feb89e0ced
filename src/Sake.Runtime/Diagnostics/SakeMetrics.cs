using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sake.Hosting;

namespace Sake.Diagnostics;

/// <summary>
/// The server's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>); see docs/architecture.md,
/// "Metrics", for the list.
/// </summary>
/// <remarks>
/// <para>
/// One <see cref="Meter"/> per running server rather than one static meter, as ASP.NET Core gets one per host from
/// <c>IMeterFactory</c>. Listeners subscribe by name (<c>AddMeter("Sake")</c> sees every instance), but each
/// instrument's <see cref="Instrument.Enabled"/> is per instance: a listener can follow one app (tests run many
/// servers in one process) without switching on the recording cost for the others, and the observable instruments
/// close over their own server instead of a process-wide registry of servers. The meter is disposed when the server
/// stops, so stopped servers leave nothing registered.
/// </para>
/// <para>
/// Hot path: every recording checks <see cref="Instrument.Enabled"/> first, so with no listener a request costs two
/// field reads and allocates nothing; with one, tags go in a stack-held <see cref="TagList"/> and status codes are
/// boxed once per process. The observable instruments cost nothing until a listener collects them.
/// </para>
/// <para>No meter version: it would come from assembly attributes, and the runtime uses no reflection.</para>
/// </remarks>
internal sealed class SakeMetrics : IDisposable
{
    /// <summary>The meter's name: what <c>MeterProvider.AddMeter</c> or a <see cref="MeterListener"/> looks for.</summary>
    public const string MeterName = "Sake";

    // The OpenTelemetry HTTP semantic conventions' buckets, as ASP.NET Core advises them for the same histogram.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // A status code is an int tag value: boxed once per code for the process, not once per request.
    private static readonly object?[] BoxedStatusCodes = new object?[500];

    private readonly HttpServer _server;
    private readonly Histogram<double> _requestDuration;
    private readonly UpDownCounter<long> _activeRequests;
    private readonly Counter<long> _rejectedConnections;
    private readonly Counter<long>? _workerRejections;
    private KeyValuePair<string, object?>[]? _serverTags;

    public SakeMetrics(HttpServer server)
    {
        _server = server;
        Meter = new Meter(MeterName);
        _requestDuration = Meter.CreateHistogram<double>(
            "http.server.request.duration",
            unit: "s",
            description: "Duration of HTTP server requests.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _activeRequests = Meter.CreateUpDownCounter<long>(
            "http.server.active_requests", unit: "{request}", description: "Number of active HTTP server requests.");

        Meter.CreateObservableUpDownCounter(
            "sake.active_connections", ObserveActiveConnections, unit: "{connection}", description: "Number of connections that are currently open on the server.");
        Meter.CreateObservableUpDownCounter(
            "sake.queued_connections", ObserveQueuedConnections, unit: "{connection}", description: "Number of connections the kernel has completed that the server has not accepted yet.");
        _rejectedConnections = Meter.CreateCounter<long>(
            "sake.rejected_connections", unit: "{connection}", description: "Number of connections answered 503 and closed because the server was at MaxConnections.");

        if (server.Pool is not null)
        {
            Meter.CreateObservableUpDownCounter(
                "sake.worker_pool.queue.length", ObserveQueueLength, unit: "{request}", description: "Number of worker requests waiting in the worker pool's queue.");
            Meter.CreateObservableUpDownCounter(
                "sake.worker_pool.busy_workers", ObserveBusyWorkers, unit: "{worker}", description: "Number of worker threads running a request's handler.");
            _workerRejections = Meter.CreateCounter<long>(
                "sake.worker_pool.rejected_requests", unit: "{request}", description: "Number of worker requests answered 503 because the worker pool's queue was full.");
        }

        if (server.BlockedLoop is not null)
        {
            Meter.CreateObservableCounter(
                "sake.event_loop.blocked_episodes", ObserveBlockedEpisodes, unit: "{episode}", description: "Number of event-loop work items that ran longer than BlockedLoopThreshold.");
        }
    }

    public Meter Meter { get; }

    /// <summary>Whether active requests are counted now; the request must remember it so the decrement matches.</summary>
    public bool ActiveRequestsEnabled => _activeRequests.Enabled;

    /// <summary>A start timestamp when the duration histogram is listened to, else 0 (no clock read).</summary>
    public long StartTimestamp() => _requestDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    public void RequestStarted(string method) =>
        _activeRequests.Add(1, new KeyValuePair<string, object?>("http.request.method", method), new KeyValuePair<string, object?>("url.scheme", "http"));

    /// <summary>
    /// Ends a request's metrics. <paramref name="countedActive"/> and <paramref name="started"/> are what the request
    /// recorded when it began (so a listener attached meanwhile never sees a decrement without its increment);
    /// <paramref name="status"/> 0 means no response was sent (the client went away).
    /// </summary>
    public void RequestStopped(bool countedActive, long started, string method, string? route, int versionMinor, int status)
    {
        if (countedActive)
        {
            _activeRequests.Add(-1, new KeyValuePair<string, object?>("http.request.method", method), new KeyValuePair<string, object?>("url.scheme", "http"));
        }

        if (started == 0 || !_requestDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "http.request.method", method },
            { "url.scheme", "http" },
            { "network.protocol.version", versionMinor == 0 ? "1.0" : "1.1" },
        };
        if (route is not null)
        {
            tags.Add("http.route", route);
        }

        if (status != 0)
        {
            tags.Add("http.response.status_code", BoxStatus(status));
        }

        _requestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, in tags);
    }

    /// <summary>A connection over <see cref="Config.MaxConnections"/> was answered 503 (reject mode).</summary>
    public void ConnectionRejected()
    {
        if (_rejectedConnections.Enabled)
        {
            _rejectedConnections.Add(1, ServerTags());
        }
    }

    /// <summary>A worker request found the pool's queue full (or stayed full for WorkerQueueTimeout): 503.</summary>
    public void WorkerRejected()
    {
        if (_workerRejections is { Enabled: true } counter)
        {
            counter.Add(1, ServerTags());
        }
    }

    public void Dispose() => Meter.Dispose();

    private static object BoxStatus(int status)
    {
        uint index = (uint)(status - 100);
        return index < (uint)BoxedStatusCodes.Length ? BoxedStatusCodes[index] ??= status : status;
    }

    /// <summary>
    /// server.address and server.port (as on Kestrel's connection metrics): two apps in one process export the same
    /// instruments, and an exporter that merges meters of one name keeps one last value per tag set for observable
    /// instruments, so without them one app's gauge would overwrite the other's.
    /// </summary>
    private ReadOnlySpan<KeyValuePair<string, object?>> ServerTags()
    {
        if (_serverTags is { } tags)
        {
            return tags;
        }

        if (_server.LocalEndPoint is not { } ep)
        {
            return default;
        }

        // A benign race: two threads may build equal arrays; either is kept.
        return _serverTags = [new("server.address", ep.Address.ToString()), new("server.port", ep.Port)];
    }

    private Measurement<long>[] Observe(long value) => [new Measurement<long>(value, ServerTags())];

    private IEnumerable<Measurement<long>> ObserveActiveConnections() => Observe(_server.OpenConnections);

    private IEnumerable<Measurement<long>> ObserveQueuedConnections() =>
        _server.QueuedConnections() is var queued and >= 0 ? Observe(queued) : [];

    private IEnumerable<Measurement<long>> ObserveQueueLength() => Observe(_server.Pool!.QueueLength);

    private IEnumerable<Measurement<long>> ObserveBusyWorkers() => Observe(_server.Pool!.BusyWorkers);

    private IEnumerable<Measurement<long>> ObserveBlockedEpisodes() => Observe(_server.BlockedLoop!.Episodes);
}
