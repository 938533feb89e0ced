using System.Net;

namespace Sake.Runtime.Tests.Infrastructure;

/// <summary>Starts a <see cref="SakeApp"/> on 127.0.0.1:0 and stops it on dispose.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(SakeApp app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SakeApp App { get; }

    public HttpClient Client { get; }

    public int Port => App.LocalEndPoint!.Port;

    public IPEndPoint EndPoint => App.LocalEndPoint!;

    public static async Task<TestServer> StartAsync(Action<SakeApp> configure, Config? config = null)
    {
        var app = new SakeApp(config);
        configure(app);
        await app.StartAsync("http://127.0.0.1:0");
        return new TestServer(app);
    }

    public RawClient Raw() => RawClient.Connect(EndPoint);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var stop = App.StopAsync();
        if (await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20))) != stop)
        {
            throw new TimeoutException("The server did not stop within 20 s.");
        }
    }
}
