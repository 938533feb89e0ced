// Sake side of bench/worker-scaling.sh: SC-002's CPU-bound request, served once on the event loop and once on
// the worker pool by the SAME handler delegate, so the only difference between the two routes is .Worker().
//
//   CpuBench [URL]           URL defaults to http://127.0.0.1:8080
//   SAKE_WORKERS=n           Config.WorkerPoolSize (default 0 = auto: one worker per CPU)
//   SAKE_POOL=0              Config.EnableWorkerPool = false (/cpu/worker then runs on the loop too)
//   SAKE_MAX_CONNECTIONS=n   Config.MaxConnections (default: Sake's 10,000; the 10k-connection bench sets more)
//
// Routes: GET /cpu/loop, GET /cpu/worker (.Worker()), GET /light/loop, GET /light/worker (.Worker(), 1 KiB JSON,
// no work: the boundary's cost under load), GET /delay (awaits Task.Delay(10) on the loop: the I/O-bound route of
// SC-001), GET /plaintext (readiness).

using System.Globalization;
using Sake;
using SakeBench;

var url = args.Length > 0 ? args[0] : "http://127.0.0.1:8080";

var workersText = Environment.GetEnvironmentVariable("SAKE_WORKERS");
int workers = 0;
if (!string.IsNullOrEmpty(workersText)
    && (!int.TryParse(workersText, NumberStyles.None, CultureInfo.InvariantCulture, out workers) || workers < 0))
{
    Console.Error.WriteLine($"CpuBench: SAKE_WORKERS must be 0 (auto) or a positive integer, not '{workersText}'");
    return 2;
}

bool pool = Environment.GetEnvironmentVariable("SAKE_POOL") != "0";

var maxText = Environment.GetEnvironmentVariable("SAKE_MAX_CONNECTIONS");
int maxConnections = new Config().MaxConnections;
if (!string.IsNullOrEmpty(maxText)
    && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxConnections) || maxConnections < 1))
{
    Console.Error.WriteLine($"CpuBench: SAKE_MAX_CONNECTIONS must be a positive integer, not '{maxText}'");
    return 2;
}

using var app = new SakeApp(new Config { WorkerPoolSize = workers, EnableWorkerPool = pool, MaxConnections = maxConnections });

// One delegate instance for both routes: "user code stays the same, only .Worker() differs" (SC-005).
RequestHandler cpu = ctx =>
{
    ctx.Text(CpuWork.RunText());
    return default;
};

app.Get("/cpu/loop", cpu);
app.Get("/cpu/worker", cpu).Worker();
app.Get("/plaintext", ctx => ctx.Text("Hello, World!"));

// The boundary's cost under load (SC-003): a trivial handler answering 1 KiB of JSON, on the loop and in the pool.
// The difference in server CPU per request between the two is what crossing costs when workers are busy.
byte[] kilobyte = System.Text.Encoding.UTF8.GetBytes("{\"data\":\"" + new string('x', 1011) + "\"}");
RequestHandler light = ctx =>
{
    ctx.Data("application/json", kilobyte);
    return default;
};
app.Get("/light/loop", light);
app.Get("/light/worker", light).Worker();

// SC-001: an I/O-bound request. The await frees the loop for other connections while the timer runs.
app.Get("/delay", async ctx =>
{
    await Task.Delay(10);
    ctx.Text("delayed 10 ms");
});

string poolText = !pool ? "off"
    : workers == 0 ? $"auto = {Environment.ProcessorCount} workers"
    : $"{workers} workers";
Console.WriteLine($"CpuBench listening on {url} (worker pool: {poolText}; {CpuWork.Iterations} iterations per /cpu request)");
app.Run(url);
return 0;
