// The server side of ShutdownUnderLoadTests: `Sake.ShutdownTarget <url> <shutdown timeout ms>`.
// Serves until SIGTERM (SakeApp.Run), then prints how many counted handlers started and finished, so the test can
// compare what the server accepted with what its clients received.
//
//   GET /work?ms=N   loop route: waits N ms (counted)
//   GET /slow-inflight   how many /work requests of 1 s or more are running now (not counted)
//   GET /cpu         worker route: ~2 ms of CPU (counted)
//   GET /hang        never finishes and ignores cancellation (not counted): only the shutdown timeout ends it
//   GET /worker-hang the same on a worker thread, which stays blocked for good
//   GET /ready       readiness probe (not counted)
using System.Diagnostics;
using System.Globalization;
using Sake;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Sake.ShutdownTarget <url> <shutdown timeout ms>");
    return 2;
}

long started = 0, finished = 0, slowInFlight = 0;
var app = new SakeApp(new Config
{
    ShutdownTimeout = TimeSpan.FromMilliseconds(int.Parse(args[1], CultureInfo.InvariantCulture)),
    WorkerPoolSize = 2,
});

app.Get("/ready", ctx => ctx.Text("ready"));
app.Get("/work", async ctx =>
{
    Interlocked.Increment(ref started);
    int ms = int.Parse(ctx.Query("ms") ?? "10", CultureInfo.InvariantCulture);
    bool slow = ms >= 1000;
    if (slow)
    {
        Interlocked.Increment(ref slowInFlight);
    }

    await Task.Delay(ms);
    if (slow)
    {
        Interlocked.Decrement(ref slowInFlight);
    }

    Interlocked.Increment(ref finished);
    ctx.Text("work " + ms);
});
app.Get("/cpu", ctx =>
{
    Interlocked.Increment(ref started);
    var spin = Stopwatch.StartNew();
    while (spin.ElapsedTicks < Stopwatch.Frequency / 500)
    {
        Thread.SpinWait(50);
    }

    Interlocked.Increment(ref finished);
    ctx.Text("cpu");
}).Worker();
app.Get("/slow-inflight", ctx => ctx.Text(Interlocked.Read(ref slowInFlight).ToString(CultureInfo.InvariantCulture)));
app.Get("/hang", async _ => await Task.Delay(Timeout.Infinite));
app.Get("/worker-hang", _ => Thread.Sleep(Timeout.Infinite)).Worker();

Console.WriteLine("starting");
app.Run(args[0]);
Console.WriteLine(FormattableString.Invariant($"handled started={Interlocked.Read(ref started)} finished={Interlocked.Read(ref finished)}"));
return 0;
