using System.Text;
using Sake.Http.Bodies;
using Sake.Http.Rejections;

namespace Sake.Runtime.Tests.Protocol;

/// <summary>The chunked decoder reaches the same verdict whichever byte a read boundary falls on.</summary>
public sealed class ChunkedDecoderSplitTests
{
    public static TheoryData<string> Bodies() => new()
    {
        "5\r\nhello\r\n0\r\n\r\n",
        "5;a=b\r\nhello\r\n0\r\n\r\n",
        "5 ; a = \"x\\\"y\" ; b\r\nhello\r\n0\r\n\r\n",
        "5;a=\"\\\r\nhello\r\n0\r\n\r\n",
        "5;a=\"q\\",
        "5;\r\nhello\r\n0\r\n\r\n",
        "5 \r\nhello\r\n0\r\n\r\n",
        "5;a \r\nhello\r\n0\r\n\r\n",
        "5;a=\r\nhello\r\n0\r\n\r\n",
        "5;a=\"x\"y\r\nhello\r\n0\r\n\r\n",
        "0\r\nHost: x\r\n\r\n",
        "0\r\nhOsT: x\r\n\r\n",
        "0\r\nHosts: x\r\n\r\n",
        "0\r\nHos: x\r\n\r\n",
        "0\r\nContent-Length: 5\r\n\r\n",
        "0\r\nCONTENT-LENGTH: 5\r\n\r\n",
        "0\r\nContent-Length-X: 5\r\n\r\n",
        "0\r\nContent-Lengt: 5\r\n\r\n",
        "0\r\nTransfer-Encoding: chunked\r\n\r\n",
        "0\r\nX-Host: x\r\nHost: y\r\n\r\n",
        "0\r\nHost-Header: x\r\nTransfer-encoding: y\r\n\r\n",
        "0\r\nX: Host:\r\n\r\n",
        "0\r\nX: a\r\n\r\n",
        "0\r\nHost : x\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void EverySplitGivesTheWholeBufferVerdict(string body)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        var expected = Decode(bytes, [bytes.Length]);
        for (int split = 1; split < bytes.Length; split++)
        {
            Assert.Equal(expected, Decode(bytes, [split, bytes.Length - split]));
        }

        Assert.Equal(expected, Decode(bytes, Enumerable.Repeat(1, bytes.Length).ToArray()));
    }

    [Theory]
    [InlineData("0\r\nHost: x\r\n\r\n", "ForbiddenTrailer")]
    [InlineData("0\r\nhOsT: x\r\n\r\n", "ForbiddenTrailer")]
    [InlineData("0\r\ncontent-LENGTH: 1\r\n\r\n", "ForbiddenTrailer")]
    [InlineData("0\r\nX: a\r\nTransfer-Encoding: chunked\r\n\r\n", "ForbiddenTrailer")]
    [InlineData("0\r\nHosts: x\r\n\r\n", "None")]
    [InlineData("0\r\nContent-Length-X: 1\r\n\r\n", "None")]
    [InlineData("5;a=\"x\\\"\"\r\nhello\r\n0\r\n\r\n", "None")]
    [InlineData("5;a=\"x\r\nhello\r\n0\r\n\r\n", "InvalidChunkExtension")]
    public void Verdicts(string body, string reasonName)
    {
        var reason = Enum.Parse<RejectReason>(reasonName);
        var bytes = Encoding.Latin1.GetBytes(body);
        var (error, done, _) = Decode(bytes, Enumerable.Repeat(1, bytes.Length).ToArray());
        Assert.Equal(reason.ToString(), error);
        Assert.Equal(reason == RejectReason.None, done);
    }

    private static (string Error, bool Done, string Data) Decode(byte[] bytes, int[] reads)
    {
        var decoder = default(ChunkedDecoder);
        var config = new Config();
        var output = new byte[256];
        var data = new StringBuilder();
        int offset = 0;
        foreach (int length in reads)
        {
            var input = bytes.AsSpan(offset, length);
            while (!input.IsEmpty && !decoder.IsDone)
            {
                int used = decoder.Decode(input, output, discard: false, out int written, config, out var error);
                data.Append(Encoding.Latin1.GetString(output, 0, written));
                if (error != RejectReason.None)
                {
                    return (error.ToString(), false, data.ToString());
                }

                input = input[used..];
                if (used == 0 && written == 0)
                {
                    break;
                }
            }

            offset += length;
        }

        return (nameof(RejectReason.None), decoder.IsDone, data.ToString());
    }
}
