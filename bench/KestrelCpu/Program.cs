// Kestrel peer for bench/worker-scaling.sh and bench/Sake.Bench: SC-002's CPU-bound request on ASP.NET Core's minimal API (slim
// builder, NativeAOT, no logging). Kestrel runs handlers on the .NET thread pool, so this is what "all cores,
// no annotation" looks like on the reference stack. The work is bench/CpuBench/CpuWork.cs, compiled in as-is.
// Listening URL: --urls http://127.0.0.1:PORT (or ASPNETCORE_URLS).

using SakeBench;

var builder = WebApplication.CreateSlimBuilder(args);

builder.Logging.ClearProviders();

var app = builder.Build();

app.MapGet("/plaintext", () => Results.Text("Hello, World!", "text/plain"));
app.MapGet("/cpu", () => Results.Text(CpuWork.RunText(), "text/plain"));
app.MapGet("/delay", async () =>
{
    // SC-001's I/O-bound request (the peer of CpuBench's /delay).
    await Task.Delay(10);
    return Results.Text("delayed 10 ms", "text/plain");
});

app.Run();
