using Sake.Analyzers.Loop;
using Sake.Analyzers.Tests.Infrastructure;

namespace Sake.Analyzers.Tests.Loop;

public sealed class BlockingCallOnLoopAnalyzerTests
{
    [Fact]
    public Task BlockingCallsInAnAttributeHandlerAreReported() => Verify.Analyzer<BlockingCallOnLoopAnalyzer>("""
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            public static string A(Task<string> task, ValueTask<int> vt, Task plain, SemaphoreSlim gate, ManualResetEventSlim evt,
                WaitHandle handle, object monitor, Stream stream, FileStream file, Socket socket, HttpClient http, HttpRequestMessage request,
                System.Diagnostics.Process process, Thread thread)
            {
                {|SAKE0021:Thread.Sleep(100)|};
                {|SAKE0021:thread.Join()|};
                {|SAKE0021:plain.Wait()|};
                {|SAKE0021:Task.WaitAll(plain, task)|};
                {|SAKE0021:Task.WaitAny(plain)|};
                var n = {|SAKE0021:vt.Result|};
                {|SAKE0021:plain.GetAwaiter().GetResult()|};
                {|SAKE0021:vt.GetAwaiter().GetResult()|};
                {|SAKE0021:plain.ConfigureAwait(true).GetAwaiter().GetResult()|};
                {|SAKE0021:gate.Wait()|};
                {|SAKE0021:evt.Wait()|};
                {|SAKE0021:handle.WaitOne()|};
                {|SAKE0021:Monitor.Wait(monitor)|};
                var text = {|SAKE0021:File.ReadAllText("a.txt")|};
                {|SAKE0021:File.WriteAllBytes("b.bin", new byte[1])|};
                {|SAKE0021:File.Copy("a", "b")|};
                {|SAKE0021:stream.Read(new byte[4], 0, 4)|};
                {|SAKE0021:file.Write(new byte[4], 0, 4)|};
                {|SAKE0021:stream.Flush()|};
                {|SAKE0021:stream.CopyTo(file)|};
                {|SAKE0021:socket.Receive(new byte[4])|};
                {|SAKE0021:socket.Connect("example.org", 80)|};
                {|SAKE0021:http.Send(request)|};
                {|SAKE0021:Dns.GetHostEntry("example.org")|};
                {|SAKE0021:Dns.GetHostAddresses("example.org")|};
                {|SAKE0021:process.WaitForExit()|};
                return {|SAKE0021:task.Result|} + text + n;
            }

            [Route("HEAD", "/b")]
            public static int B(Task<int> task) => {|SAKE0021:task.Result|};
        }
        """);

    [Fact]
    public Task BlockingCallsInLoopLambdasAndMiddlewareAreReported() => Verify.Analyzer<BlockingCallOnLoopAnalyzer>("""
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static class Routes
        {
            public static void Map(SakeApp app, Task<string> task)
            {
                app.Get("/a", ctx => { {|SAKE0021:Thread.Sleep(1)|}; ctx.Text("a"); });
                app.Get("/b", (int id) => {|SAKE0021:task.Result|} + id);
                app.Map("GET", "/c", delegate (Context ctx) { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); });
                app.Post("/d", ctx => ctx.Text({|SAKE0021:task.Result|})).Use(ctx => { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); });
                app.Use(ctx => { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); });
                app.Group("/g", ctx => { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); }).Get("/e", ctx => ctx.Text("e"));
                // Middleware runs on the loop even when the handler runs on the worker pool.
                app.Get("/f", ctx => ctx.Text("f")).Use(ctx => { {|SAKE0021:Thread.Sleep(1)|}; return ctx.Next(); }).Worker();
            }
        }

        [Use(nameof(Slow))]
        public static partial class Api
        {
            [Get("/h"), Worker]
            public static string H() => "h";

            private static ValueTask Slow(Context ctx)
            {
                {|SAKE0021:Thread.Sleep(1)|};
                return ctx.Next();
            }
        }
        """);

    [Fact]
    public Task WorkerHandlersNestedFunctionsAndOtherCodeAreNotReported() => Verify.Analyzer<BlockingCallOnLoopAnalyzer>("""
        using System;
        using System.IO;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Api
        {
            [Get("/a"), Worker]
            public static string A(Task<string> task)
            {
                Thread.Sleep(1);
                return task.Result;
            }

            [Get("/b")]
            public static async Task<string> B(Task<string> task, YieldAwaitable y)
            {
                // Nested functions may run anywhere: they are not the handler's own code.
                await Task.Run(() => Thread.Sleep(1));
                Func<string> later = () => task.Result;
                string Local() => task.Result;
                var ms = new MemoryStream();
                ms.Write(new byte[4], 0, 4);
                ms.Flush();
                y.GetAwaiter().GetResult();
                _ = nameof(task.Result);
                _ = File.Exists("a");
                _ = await File.ReadAllTextAsync("a");
                return await task + later() + Local();
            }

            // Not a handler: never registered, so Sake does not decide where it runs.
            public static string NotAHandler(Task<string> task)
            {
                Thread.Sleep(1);
                return task.Result;
            }
        }

        public static class Routes
        {
            public static RouteBuilder Map(SakeApp app, Task<string> task)
            {
                app.Get("/c", ctx => { Thread.Sleep(1); ctx.Text("c"); }).Worker();
                app.Get("/d", (int id) => task.Result + id).Use(ctx => ctx.Next()).Worker();
                // The builder escapes: .Worker() may be applied elsewhere, so the mode is unknown and nothing is said.
                var escaped = app.Get("/e", ctx => ctx.Text(task.Result));
                RequestHandler notRegistered = ctx => { Thread.Sleep(1); return ctx.Next(); };
                return escaped;
            }
        }
        """);

    [Fact]
    public Task MethodsThatAreNotHandlersAreNotReported() => Verify.Analyzer<BlockingCallOnLoopAnalyzer>("""
        using System.Threading;

        public static class Plain
        {
            public static void M() => Thread.Sleep(1);
        }
        """);
}
