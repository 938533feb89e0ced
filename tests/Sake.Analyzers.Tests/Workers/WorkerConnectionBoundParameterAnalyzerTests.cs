using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Sake.Analyzers.Tests.Infrastructure;
using Sake.Analyzers.Workers;

namespace Sake.Analyzers.Tests.Workers;

public sealed class WorkerConnectionBoundParameterAnalyzerTests
{
    [Fact]
    public Task AWorkerMethodTakingAStreamIsReportedWithItsNames() => Verify.Analyzer<WorkerConnectionBoundParameterAnalyzer>(
        """
        using System.IO;
        using Sake;

        public static partial class Uploads
        {
            [Post("/upload"), Worker]
            public static string Upload(Context ctx, MemoryStream {|#0:body|}) => "ok";
        }
        """,
        new DiagnosticResult("SAKE0018", DiagnosticSeverity.Error).WithLocation(0).WithArguments("body", "Upload", "MemoryStream"));

    [Fact]
    public Task PipesSocketsReadersWritersAndWebSocketsAreReportedOnEveryWorkerShape() => Verify.Analyzer<WorkerConnectionBoundParameterAnalyzer>("""
        using System.IO;
        using System.IO.Pipelines;
        using System.Net.Sockets;
        using System.Net.WebSockets;
        using System.Threading;
        using Sake;

        public static partial class Api
        {
            [Get("/a")]
            [Worker]
            public static string A(PipeReader {|SAKE0018:reader|}, IDuplexPipe {|SAKE0018:pipe|}, CancellationToken aborted) => "a";

            [Route("POST", "/b"), Worker]
            public static void B(Context ctx, TextWriter {|SAKE0018:writer|}, StreamReader {|SAKE0018:text|}) { }

            public static void Map(SakeApp app)
            {
                app.Post("/c", (Socket {|SAKE0018:socket|}, NetworkStream {|SAKE0018:stream|}) => "c").Worker();
                app.Get("/d", {|SAKE0018:Handle|}).Worker();
            }

            public static string Handle(WebSocket socket) => "d";
        }
        """);

    [Fact]
    public Task LoopRoutesAndSerializableParametersAreNotReported() => Verify.Analyzer<WorkerConnectionBoundParameterAnalyzer>("""
        using System.IO;
        using System.Threading;
        using Sake;

        public static partial class Api
        {
            [Post("/a"), Worker]
            public static string A(Context ctx, CancellationToken aborted, string body, int n) => body;

            [Post("/b"), Worker]
            public static string B(byte[] body) => "b";

            [Post("/c")]
            public static string C(Stream body) => "c";

            public static void Map(SakeApp app)
            {
                app.Post("/d", (Stream body) => "d");
                app.Post("/e", (string body, Context ctx) => body).Worker();
                app.Get("/f", A).Worker();
            }
        }
        """);
}
