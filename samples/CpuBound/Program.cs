using Sake;

// CPU-heavy routes on the worker pool, I/O on the event loop; both declaration styles.
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("SAKE_URLS") ?? "http://127.0.0.1:8081";

using var app = new SakeApp();
CpuRoutes.Map(app);

Console.WriteLine($"CpuBound listening on {url}: /fib/{{n}}, /hash?iterations=N (workers), /sleep/{{ms}} (loop)");
app.Run(url);
