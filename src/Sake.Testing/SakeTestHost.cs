namespace Sake.Testing;

/// <summary>
/// A <see cref="SakeApp"/> listening on a free loopback port, with an <see cref="HttpClient"/> aimed at it: the whole
/// setup of an end-to-end test in one call, torn down by <see cref="DisposeAsync"/>. Requests go over real sockets
/// through the real server, so what a test sees is what a client would see.
/// </summary>
/// <example>
/// <code>
/// await using var host = await SakeTestHost.StartAsync(app => app.MapHelloApi());
/// var text = await host.Client.GetStringAsync("/hello/ada?times=2");
/// </code>
/// </example>
public sealed class SakeTestHost : IAsyncDisposable
{
    /// <summary>Where <see cref="StartAsync"/> listens unless told otherwise: loopback, a port the OS picks.</summary>
    public const string DefaultUrl = "http://127.0.0.1:0";

    // Beyond the app's own ShutdownTimeout: after it the server closes what is left, so a stop that takes longer
    // than this has hung, and the test should say so rather than wait forever.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly List<HttpClient> _clients = [];
    private int _disposed;

    private SakeTestHost(SakeApp app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Client = CreateClientCore();
    }

    /// <summary>The running app.</summary>
    public SakeApp App { get; }

    /// <summary>The server's base URL with the real port, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client whose <see cref="HttpClient.BaseAddress"/> is <see cref="BaseAddress"/>; disposed with the host.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Creates an app with <paramref name="config"/>, lets <paramref name="configure"/> register its routes and
    /// middleware, and starts it on <paramref name="url"/>. Returns once the server is listening.
    /// </summary>
    /// <param name="configure">Registers routes and middleware. An exception from it propagates; nothing is started.</param>
    /// <param name="config">The app's configuration; the defaults when null.</param>
    /// <param name="url">Where to listen; the default picks a free loopback port.</param>
    /// <returns>The started host; dispose it to stop the app and release the port.</returns>
    public static async Task<SakeTestHost> StartAsync(Action<SakeApp> configure, Config? config = null, string url = DefaultUrl)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var app = new SakeApp(config);
        try
        {
            configure(app);
            await app.StartAsync(url).ConfigureAwait(false);
            return new SakeTestHost(app, app.BaseAddress ?? throw new InvalidOperationException("The app started without a listening address."));
        }
        catch
        {
            // Stopping an app that never started is a no-op; one that did start must not outlive the failed call.
            await app.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Another client aimed at the server (its own connection pool, e.g. to test several clients at once), disposed
    /// with the host.
    /// </summary>
    /// <param name="handler">The handler to send through; a fresh <see cref="SocketsHttpHandler"/> when null.</param>
    /// <returns>A client whose <see cref="HttpClient.BaseAddress"/> is <see cref="BaseAddress"/>.</returns>
    public HttpClient CreateClient(HttpMessageHandler? handler = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return CreateClientCore(handler);
    }

    /// <summary>
    /// Disposes the clients, then stops the app gracefully (in-flight requests finish within
    /// <see cref="Config.ShutdownTimeout"/>) and releases the port.
    /// </summary>
    /// <exception cref="TimeoutException">The app had not stopped 10 s after its shutdown timeout.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Clients first: their idle keep-alive connections close now instead of being waited on by the server.
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        var stop = App.StopAsync();
        var limit = App.Config.ShutdownTimeout + StopGrace;
        if (await Task.WhenAny(stop, Task.Delay(limit)).ConfigureAwait(false) != stop)
        {
            throw new TimeoutException($"The app at {BaseAddress} did not stop within {limit.TotalSeconds:0.#} s.");
        }

        await stop.ConfigureAwait(false);
    }

    private HttpClient CreateClientCore(HttpMessageHandler? handler = null)
    {
        // A test that hangs should fail within seconds, not after HttpClient's default 100 s.
        var client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        lock (_clients)
        {
            // Checked under the lock DisposeAsync takes, so a client created while disposing is not left open.
            if (Volatile.Read(ref _disposed) != 0)
            {
                client.Dispose();
                throw new ObjectDisposedException(nameof(SakeTestHost));
            }

            _clients.Add(client);
        }

        return client;
    }
}
