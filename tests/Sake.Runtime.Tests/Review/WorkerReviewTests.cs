using System.Net;
using Microsoft.Extensions.Logging;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Review;

/// <summary>
/// Tests written while reviewing the worker pool (src/Sake.Runtime/Workers). Each documents a bug: it asserts the
/// correct behaviour and fails against the code as reviewed.
/// </summary>
public sealed class WorkerReviewTests
{
    /// <summary>
    /// Context.Param compares names OrdinalIgnoreCase on the loop (Context.cs:85). On a worker the values come from
    /// WorkerContext.RouteValues, a Dictionary that System.Text.Json rebuilds with the default (ordinal,
    /// case-sensitive) comparer, so Context.GetRouteValues' OrdinalIgnoreCase comparer is lost in transit and
    /// ctx.Param("ID") is null on a worker route but "42" on the same route on the loop.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ParamIsCaseInsensitiveOnWorkerRoutesToo(bool worker)
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                var route = app.Get("/users/{id}", ctx => ctx.Text($"id={ctx.Param("ID") ?? "null"}"));
                if (worker)
                {
                    route.Worker();
                }
            },
            new Config { WorkerPoolSize = 1 });
        Assert.Equal("id=42", await server.Client.GetStringAsync("/users/42"));
    }

    /// <summary>
    /// Worker.Main runs a worker's SynchronizationContext queue only while a request is in RunUntilCompleted, or
    /// once right after an item (RunPending). A continuation posted after that (a fire-and-forget task the handler
    /// started: an audit write, a cache refresh) waits in the queue while the worker blocks in TryTake, i.e. until
    /// some unrelated request reaches that same worker, possibly never. On the loop the same code completes at once.
    /// </summary>
    [Fact]
    public async Task AFireAndForgetContinuationOfAWorkerHandlerRunsWithoutFurtherRequests()
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        static async Task BackgroundAsync(TaskCompletionSource<bool> done)
        {
            await Task.Delay(100);
            done.TrySetResult(true);
        }

        await using var server = await TestServer.StartAsync(
            app => app.Get("/fire", ctx =>
            {
                _ = BackgroundAsync(done);
                ctx.Text("ok");
            }).Worker(),
            new Config { WorkerPoolSize = 1 });
        Assert.Equal("ok", await server.Client.GetStringAsync("/fire"));
        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.True(finished == done.Task, "the handler's background continuation never ran (stranded in the worker's queue)");
    }

    /// <summary>
    /// A worker route exists for blocking code, but the worker installs a single-threaded SynchronizationContext
    /// (Worker.cs:41) and only pumps it inside RunUntilCompleted. Blocking on a Task whose async method captured that
    /// context (sync-over-async, common inside "sync" client libraries) posts the continuation to the very thread
    /// that is blocked: the worker deadlocks forever (504, then the worker stays stuck and eats a replacement slot).
    /// ASP.NET Core has no SynchronizationContext for exactly this reason; docs only warn about it for the loop.
    /// </summary>
    [Fact]
    public async Task SyncOverAsyncInAWorkerHandlerDoesNotDeadlock()
    {
        static async Task<string> FetchAsync()
        {
            await Task.Delay(10);
            return "fetched";
        }

        await using var server = await TestServer.StartAsync(
            app => app.Get("/sync", ctx => ctx.Text(FetchAsync().GetAwaiter().GetResult())).Worker(),
            new Config { WorkerPoolSize = 1, RequestTimeout = TimeSpan.FromSeconds(2), ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        var r = await server.Client.GetAsync("/sync");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("fetched", await r.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// WorkerPool.OnAbandoned (WorkerPool.cs:189) marks the worker stuck and starts a replacement thread the moment
    /// the loop abandons a running item, before the handler had any chance to observe the cancelled token. A handler
    /// that honours ctx.Aborted and returns within milliseconds is logged as "ignores cancellation" and costs a
    /// thread start + retire on every timeout or client disconnect (thread churn an attacker can drive by
    /// disconnecting).
    /// </summary>
    [Fact]
    public async Task AHandlerThatHonoursCancellationIsNotReportedStuck()
    {
        var log = new ListLogger();
        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(
            app => app.Get("/coop", ctx =>
            {
                while (!ctx.Aborted.IsCancellationRequested)
                {
                    Thread.Sleep(2);
                }

                returned.TrySetResult();
            }).Worker(),
            new Config { WorkerPoolSize = 1, RequestTimeout = TimeSpan.FromMilliseconds(300), LoggerFactory = log });
        var before = server.App.WorkerPool!.ThreadIds();
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await server.Client.GetAsync("/coop")).StatusCode);
        await returned.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("ignores cancellation", StringComparison.Ordinal));
        Assert.Equal(before, server.App.WorkerPool!.ThreadIds());
    }

    /// <summary>
    /// WorkerPool.OnWorkerExited (WorkerPool.cs:234) always starts a replacement for a faulted worker, even when
    /// that worker was a stuck one that already has a replacement. Afterwards _stuck is 0 and the pool holds N + 1
    /// healthy threads that never retire (ShouldRetire only retires stuck workers): the temporary replacement
    /// became permanent, and each repetition adds one more (up to N + WorkerReplacementLimit).
    /// </summary>
    [Fact]
    public async Task AStuckWorkerThatFaultsDoesNotLeaveThePoolAboveN()
    {
        var release = new ManualResetEventSlim();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                app.Get("/stuck", ctx =>
                {
                    release.Wait(TimeSpan.FromSeconds(20));
                    ctx.Text("late");
                }).Worker();
                app.Get("/ok", ctx => ctx.Text("ok")).Worker();
            },
            new Config { WorkerPoolSize = 1, WorkerReplacementLimit = 1, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var pool = server.App.WorkerPool!;
        pool.FaultHook = w =>
        {
            if (w.Stuck)
            {
                throw new InvalidOperationException("injected fault after a stuck handler returned");
            }
        };

        Assert.Equal(HttpStatusCode.GatewayTimeout, (await server.Client.GetAsync("/stuck")).StatusCode);

        // The worker counts as stuck (and gets its replacement) once the handler outlives the grace period.
        for (int i = 0; i < 200 && pool.ThreadCount != 2; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, pool.ThreadCount);
        release.Set();
        await Task.Delay(500);
        Assert.Equal("ok", await server.Client.GetStringAsync("/ok"));
        Assert.Equal(1, pool.ThreadCount);
    }

    private sealed class NoMessageException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message is not available");
    }

    /// <summary>
    /// Worker.Run calls ErrorResponse inside its catch block (Worker.cs:99) with no protection: if building the error
    /// response throws (an exception whose Message throws, a logging provider that throws in HandlerFailed), the
    /// exception escapes Run, item.Complete is never called and the worker loop dies. The request then hangs until
    /// RequestTimeout (504) instead of the 500 the loop gives for the same handler; the pool's state machine is left
    /// with an item stuck in Running whose abandonment marks an already-dead worker stuck (_stuck never decremented).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailureWhileReportingAHandlerErrorStillAnswers500(bool worker)
    {
        await using var server = await TestServer.StartAsync(
            app =>
            {
                var route = app.Get("/boom", ctx => throw new NoMessageException());
                if (worker)
                {
                    route.Worker();
                }
            },
            new Config { WorkerPoolSize = 1, RequestTimeout = TimeSpan.FromSeconds(3) });
        Assert.Equal(HttpStatusCode.InternalServerError, (await server.Client.GetAsync("/boom")).StatusCode);
    }

    /// <summary>
    /// A worker handler's exception is logged twice as an error: once on the worker (Worker.ErrorResponse,
    /// Worker.cs:130) and once more on the loop when the WorkerHandlerException stand-in is rethrown and handled by
    /// Connection.HandleHandlerException (or Recovery). The same handler on the loop logs once, so alerting and error
    /// counts double for worker routes.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AHandlerExceptionIsLoggedOnce(bool worker)
    {
        var log = new ListLogger();
        await using var server = await TestServer.StartAsync(
            app =>
            {
                var route = app.Get("/boom", ctx => throw new InvalidOperationException("boom"));
                if (worker)
                {
                    route.Worker();
                }
            },
            new Config { WorkerPoolSize = 1, LoggerFactory = log });
        Assert.Equal(HttpStatusCode.InternalServerError, (await server.Client.GetAsync("/boom")).StatusCode);
        await Task.Delay(100);
        Assert.Single(log.Entries, e => e.Level >= LogLevel.Error);
    }
}
