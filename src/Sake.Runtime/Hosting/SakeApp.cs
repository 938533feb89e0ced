using System.Net;
using System.Runtime.InteropServices;
using Sake.Hosting;
using Sake.Routing;
using Sake.Workers;

namespace Sake;

/// <summary>
/// A Sake application: register middleware and routes, then <see cref="Run"/> (blocks; the calling thread accepts
/// connections) or <see cref="StartAsync"/> (returns once listening; for tests and hosts).
/// </summary>
/// <example>
/// <code>
/// using var app = new SakeApp();
/// app.Get("/plaintext", ctx => ctx.Text("Hello, World!"));
/// app.Run("http://127.0.0.1:8080");
/// </code>
/// </example>
public sealed class SakeApp : RouteGroup, IDisposable, IAsyncDisposable
{
    private const string AllMethods = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpServer? _server;
    private Task? _stopTask;
    private Thread? _acceptThread;
    private int _started;

    /// <summary>Creates an app; <paramref name="config"/> is validated when the app starts.</summary>
    public SakeApp(Config? config = null)
        : base(null, string.Empty)
    {
        Config = config ?? new Config();
        Config.Validate();
    }

    /// <summary>The configuration in force.</summary>
    public Config Config { get; }

    /// <summary>The address the server listens on once started (the real port when 0 was asked for).</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    /// <summary>Base URL of the running server, e.g. "http://127.0.0.1:41234".</summary>
    public Uri? BaseAddress => _server?.LocalEndPoint is { } ep ? new Uri($"http://{FormatHost(ep)}/") : null;

    /// <summary>Managed thread id of the event loop (for diagnostics and tests).</summary>
    public int LoopThreadId => _server?.Loop.ThreadId ?? -1;

    /// <summary>For tests: open connections and how many hold pooled buffers.</summary>
    internal Task<(int Open, int HoldingBuffers)> CountBuffersAsync() => _server!.CountBuffersAsync();

    /// <summary>The worker pool (null when disabled or not started); for tests.</summary>
    internal WorkerPool? WorkerPool => _server?.Pool;

    /// <summary>The generated route table answering matches, or null when the runtime tree does (tests).</summary>
    internal Sake.Generated.GeneratedRouteTable? RouteTable => _server?.Router.Table;

    /// <summary>send(2) calls made so far (diagnostics: proves pipelined responses are batched).</summary>
    internal long SendCalls => _server is null ? 0 : Volatile.Read(ref _server.SendCalls);

    /// <summary>
    /// Blocked-loop episodes so far: event-loop work items (a synchronous stretch of a handler, a callback) that
    /// ran longer than <see cref="Config.BlockedLoopThreshold"/>, each counted once however long it ran, and each
    /// logged as one warning naming the route. Stays 0 when the detector is off or the app has not started; keeps
    /// its value after the app stopped.
    /// </summary>
    public long BlockedLoopEpisodes => _server?.BlockedLoop?.Episodes ?? 0;

    /// <summary>This run's meter (named "Sake"; one per started app), so tests can listen to their own server only.</summary>
    internal System.Diagnostics.Metrics.Meter? Meter => _server?.Metrics.Meter;

    /// <summary>Whether a blocked-loop watchdog exists (tests: none when the threshold is zero).</summary>
    internal bool HasBlockedLoopDetector => _server?.BlockedLoop is not null;

    /// <summary>Completes when the server has stopped.</summary>
    public Task Completion => _stopped.Task;

    internal override bool IsFrozen => Volatile.Read(ref _started) != 0;

    /// <summary>
    /// Starts the server on <paramref name="url"/> and blocks the calling thread, which accepts connections,
    /// until SIGTERM, Ctrl+C or <see cref="StopAsync"/> has stopped it gracefully.
    /// </summary>
    public void Run(string url = "http://127.0.0.1:8080")
    {
        var server = Start(url);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        server.AcceptLoop();
        _stopped.Task.GetAwaiter().GetResult();
    }

    /// <summary>Starts listening on <paramref name="url"/> (port 0 picks a free port) and returns once it does.</summary>
    public Task StartAsync(string url = "http://127.0.0.1:0")
    {
        var server = Start(url);
        _acceptThread = new Thread(server.AcceptLoop) { Name = "Sake accept", IsBackground = true };
        _acceptThread.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops gracefully: no new connections, idle ones close, in-flight requests finish (each answered with
    /// <c>Connection: close</c>) until <see cref="Config.ShutdownTimeout"/>, then the rest are closed.
    /// </summary>
    public Task StopAsync()
    {
        var server = _server;
        if (server is null)
        {
            return Task.CompletedTask;
        }

        lock (_stopped)
        {
            return _stopTask ??= StopCoreAsync(server);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Stops the app as <see cref="StopAsync"/> does and waits for it; after <see cref="Run"/> has returned there is
    /// nothing left to do. Lets synchronous code own an app with <c>using var app = new SakeApp();</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on the event loop, which the stop needs to finish.</exception>
    public void Dispose()
    {
        if (_server is { } server && server.Loop.IsOnLoop && Volatile.Read(ref _stopTask) is not { IsCompleted: true })
        {
            throw new InvalidOperationException("Dispose waits for the event loop to finish, so it cannot run on the loop; call StopAsync from a handler instead.");
        }

        StopAsync().GetAwaiter().GetResult();
    }

    private async Task StopCoreAsync(HttpServer server)
    {
        try
        {
            await server.StopAsync(Config.ShutdownTimeout).ConfigureAwait(false);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _ = StopAsync();
    }

    private HttpServer Start(string url)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The app has already been started.");
        }

        var endPoint = ListenUrl.Parse(url);
        var server = BuildServer();
        server.Bind(endPoint);
        _server = server;
        server.Log.Listening($"http://{FormatHost(server.LocalEndPoint!)}", server.WorkerPoolSize);
        return server;
    }

    private HttpServer BuildServer()
    {
        var server = new HttpServer(Config);
        var router = new Router<Endpoint>();
        var global = MiddlewareList;
        var added = new List<(RouteMethod, string, Endpoint, int)>();
        int workerRoutes = AddRoutes(this, new List<RequestHandler>(global), router, server, added);
        string matcher = UseGeneratedTable(router, added);
        RequestHandler[] fallback = [.. global, NotFoundOrNotAllowed(router)];
        RequestHandler[] asterisk = [.. global, ServerWideOptions];
        server.Initialize(router, fallback, asterisk);
        server.Log.RouteMatcher(added.Count, matcher);
        if (workerRoutes > 0 && server.Pool is null)
        {
            server.Log.WorkerRoutesOnLoop(workerRoutes);
        }

        return server;
    }

    /// <summary>Adds the group's routes; returns how many are worker routes.</summary>
    /// <summary>
    /// Switches matching to the first generated table that knows every registered route (an app whose routes all come
    /// from one assembly, with constant patterns on the app itself); otherwise the runtime tree keeps answering.
    /// </summary>
    /// <returns>What matches requests, for the startup log.</returns>
    private static string UseGeneratedTable(Router<Endpoint> router, List<(RouteMethod Method, string Pattern, Endpoint, int)> added)
    {
        if (added.Count == 0)
        {
            return "nothing (no routes)";
        }

        var tables = Sake.Generated.GeneratedRouteTable.Registered;
        foreach (var table in tables)
        {
            if (router.UseTable(table, added))
            {
                return $"the generated route table of {table.AssemblyName}";
            }
        }

        // Name one route that kept the tables out, so "why is the tree used?" has an answer in the log.
        foreach (var (method, pattern, _, _) in added)
        {
            bool known = false;
            foreach (var table in tables)
            {
                known |= table.IdOf(method, pattern) >= 0;
            }

            if (!known)
            {
                return $"the runtime route tree ({RouteMethods.ToName(method)} {pattern} is not a constant route of any assembly's generated table)";
            }
        }

        return "the runtime route tree (the routes come from more than one assembly's generated table)";
    }

    private static int AddRoutes(RouteGroup group, List<RequestHandler> inherited, Router<Endpoint> router, HttpServer server, List<(RouteMethod, string, Endpoint, int)> added)
    {
        int workerRoutes = 0;
        foreach (var route in group.Routes)
        {
            var chain = new List<RequestHandler>(inherited);
            chain.AddRange(route.Middleware);
            if (route.IsWorker)
            {
                workerRoutes++;
            }

            // Only the endpoint crosses into the pool; middleware stays on the loop.
            chain.Add(route.IsWorker && server.Pool is { } pool ? WorkerDispatcher.Create(route.Handler, pool, server.Config) : route.Handler);
            var pattern = RoutePattern.Parse(route.Pattern);
            var endpoint = new Endpoint(route.Method, route.Pattern, pattern.ParameterNames, chain.ToArray());
            router.Add(route.Method, route.Pattern, endpoint);
            added.Add((route.Method, route.Pattern, endpoint, pattern.ParameterNames.Length));
        }

        foreach (var child in group.Groups)
        {
            var childChain = new List<RequestHandler>(inherited);
            childChain.AddRange(child.MiddlewareList);
            workerRoutes += AddRoutes(child, childChain, router, server, added);
        }

        return workerRoutes;
    }

    private static RequestHandler NotFoundOrNotAllowed(Router<Endpoint> router) => context =>
    {
        if (router.TryGetAllowedMethods(context.Path, out var allow))
        {
            context.Status(405).SetHeader("Allow", allow);
        }
        else
        {
            context.Status(404);
        }

        return default;
    };

    /// <summary>OPTIONS * (RFC 9112 §3.2.4): the server's capabilities, not a resource's.</summary>
    private static ValueTask ServerWideOptions(Context context)
    {
        context.SetHeader("Allow", AllMethods);
        return default;
    }

    private static string FormatHost(IPEndPoint ep) =>
        ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : $"{ep.Address}:{ep.Port}";
}
