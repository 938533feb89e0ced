using Sake;

// A CRUD API over an in-memory store that belongs to the event loop, plus a CPU-heavy report on the worker pool.
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("SAKE_URLS") ?? "http://127.0.0.1:8082";

using var app = new SakeApp();
app.MapTodoApi();

Console.WriteLine($"TodoApi listening on {url}: /todos, /todos/{{id}}, POST /reports/summary (worker)");
app.Run(url);
