using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sake.Fuzzing;

namespace Sake.Runtime.Tests.Properties;

/// <summary>
/// Property tests of the parsing pipeline the fuzzer drives (tests/Sake.Fuzzing, docs/fuzzing.md), without
/// sockets: <see cref="RequestPipeline"/> runs HeadScanner, RequestParser, RequestTarget and ChunkedDecoder as the
/// connection does. <see cref="PipelineInvariants.Check"/> feeds each input whole, one byte per read and in
/// random reads (body kept and drained), under default and under small limits, and requires the same outcome
/// every way; it checks consumption, limits and rejection statuses on the way, and parses every accepted request
/// again after writing it back out.
/// </summary>
public sealed class ParserPropertyTests
{
    [Fact]
    public void GeneratedRequestsParseToExactlyTheirFields() =>
        PropertyRun.Holds(RequestGenerators.Pipelined.Zip(Gen.Choose(0, int.MaxValue)), 300, c =>
        {
            var (requests, seed) = c;
            var stream = new MemoryStream();
            var expected = new StringBuilder();
            PipelineEnd end = PipelineEnd.Clean;
            int consumed = 0;
            foreach (var r in requests)
            {
                stream.Write(r.ToBytes());
                if (end == PipelineEnd.Closed)
                {
                    continue;
                }

                expected.Append(r.Expected().Describe());
                consumed = (int)stream.Length;
                end = r.KeepAlive ? PipelineEnd.Clean : PipelineEnd.Closed;
            }

            expected.Append(end).Append(" consumed=").Append(consumed);
            var bytes = stream.ToArray();
            var result = PipelineInvariants.Check(bytes, (ulong)seed);
            Assert.True(expected.ToString() == result.Describe(), $"sent:\n{Show(bytes)}\nexpected:\n{expected}\nparsed:\n{result.Describe()}");
        });

    [Fact]
    public void MutatedRequestsParseConsistentlyOrAreRejectedWithAPreciseStatus() =>
        PropertyRun.Holds(from r in RequestGenerators.Pipelined from m in Mutation.Some from s in Gen.Choose(0, int.MaxValue) select (r, m, s), 1000, c =>
        {
            var (requests, mutations, seed) = c;
            var original = requests.SelectMany(r => r.ToBytes()).ToArray();
            var mutated = Mutation.ApplyAll(original, mutations);
            try
            {
                // Never an exception but an invariant violation; a rejection's status is checked in the pipeline.
                var result = PipelineInvariants.Check(mutated, (ulong)seed);
                Assert.True(result.End != PipelineEnd.Rejected || RequestPipeline.IsRejectionStatus(result.Status));
            }
            catch (Exception e)
            {
                Assert.Fail($"mutations {string.Join(", ", mutations.Select(m => m.ToString()))} made:\n{Show(mutated)}\n{e}");
            }
        });

    [Fact]
    public void ArbitraryBytesNeverBreakTheParser() =>
        PropertyRun.Holds(Gen.Zip(Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 255)), (2, Gen.Elements<int>('\r', '\n', ' ', ':', '0', 'G'))).Select(b => (byte)b), n)), Gen.Choose(0, int.MaxValue)), 300, c =>
        {
            var (bytes, seed) = c;
            PipelineInvariants.Check(bytes, (ulong)seed);
            PipelineInvariants.Check([.. "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"u8, .. bytes], (ulong)seed);
        });

    internal static string Show(byte[] bytes) =>
        Encoding.Latin1.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);
}
