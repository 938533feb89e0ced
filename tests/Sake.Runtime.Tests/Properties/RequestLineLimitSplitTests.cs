using System.Text;
using Sake.Fuzzing;
using Sake.Http.Parsing;
using Sake.Http.Rejections;
using Sake.Runtime.Tests.Infrastructure;

namespace Sake.Runtime.Tests.Properties;

/// <summary>
/// Regression for the first fuzzer finding (docs/fuzzing.md): HeadScanner measured an unterminated request line
/// including a trailing CR, but a terminated one without its CRLF. A request line of exactly MaxRequestLineSize
/// bytes was accepted when CR and LF arrived in one read and refused with 414 when a read ended between them; a
/// 65-byte line ending in a bare LF passed the 64-byte limit. The limit now counts the line without its CR (if
/// any) and LF whichever way the bytes arrive.
/// </summary>
public sealed class RequestLineLimitSplitTests
{
    private const int Limit = 64;

    /// <summary>The fuzzer's inputs (afl-fuzz, first minute): whole input 400 or incomplete, one byte per read 414.</summary>
    [Theory]
    [InlineData("G\u00FF\u0000\u0000\u0000old HTTV//../onnection:PTI\u00FFdM Hold HTTV//../onnectio\u0000TP/1.0\r\n\r\n")]
    [InlineData("GET /olD100-continueD\u007FTTP/1.0\r\u00BFCH+/p HiP/1.0\r\u00BFCH+/p Hi\u0000\u0000\u0000d\u0000\u0000\u0000d.1\u00FF\n")]
    public void FuzzerFindingsGiveTheSameOutcomeWhateverTheSplit(string latin1)
    {
        var input = Encoding.Latin1.GetBytes(latin1);
        PipelineInvariants.CheckUnder(input, PipelineInvariants.Small, 1);
        PipelineInvariants.CheckUnder(input, PipelineInvariants.Small, 12345);
    }

    [Theory]
    [InlineData(Limit, true)]
    [InlineData(Limit + 1, false)]
    public void TheLimitCountsTheRequestLineWithoutItsCrLfInEveryRead(int contentLength, bool accepted)
    {
        var config = new Config { MaxRequestLineSize = Limit };
        var line = Encoding.ASCII.GetBytes("GET /" + new string('a', contentLength - 14) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(contentLength, line.AsSpan().IndexOf((byte)'\r'));

        // Every prefix the connection could have buffered, up to the CR, then the rest.
        var scanner = default(HeadScanner);
        scanner.Reset();
        int end = 0;
        RejectReason reason = RejectReason.None;
        for (int n = 1; n <= line.Length && end == 0; n++)
        {
            end = scanner.FindEnd(line.AsSpan(0, n), config, out reason);
        }

        Assert.Equal(accepted, end > 0);
        Assert.Equal(accepted ? RejectReason.None : RejectReason.RequestLineTooLong, reason);

        var whole = default(HeadScanner);
        whole.Reset();
        Assert.Equal(accepted, whole.FindEnd(line, config, out _) > 0);
    }

    [Fact]
    public void ALineWithABareLfIsMeasuredWithoutTheLf()
    {
        var config = new Config { MaxRequestLineSize = Limit };
        var scanner = default(HeadScanner);
        scanner.Reset();
        var line = Encoding.ASCII.GetBytes("GET /" + new string('a', Limit + 1 - 14) + " HTTP/1.1\n");
        Assert.Equal(-1, scanner.FindEnd(line, config, out var reason));
        Assert.Equal(RejectReason.RequestLineTooLong, reason);
    }

    /// <summary>Over a socket: the CR ends one TCP segment, the LF starts the next; before the fix this was a 414.</summary>
    [Fact]
    public async Task ARequestLineAtTheLimitSplitBetweenCrAndLfIsServed()
    {
        string path = "/" + new string('a', Limit - 14);
        await using var server = await TestServer.StartAsync(app => app.Get(path, ctx => ctx.Text("ok")), new Config { MaxRequestLineSize = Limit });
        using var client = server.Raw();
        await client.SendAsync("GET " + path + " HTTP/1.1\r");
        await Task.Delay(100);
        await client.SendAsync("\nHost: x\r\n\r\n");

        var response = await client.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.Body);
    }
}
