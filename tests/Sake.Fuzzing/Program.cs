using SharpFuzz;

namespace Sake.Fuzzing;

/// <summary>
/// afl-fuzz target (fuzz.sh): each input is a byte stream as a client would send it on one connection.
/// <c>--replay FILE...</c> runs inputs directly (a crash from findings/default/crashes, or the corpus), printing
/// the outcome, without AFL.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--replay")
        {
            GiveCoverageSomewhereToGo();
            return Replay(args.AsSpan(1));
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var input = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            PipelineInvariants.Check(input, Seed(input));
        });
        return 0;
    }

    /// <summary>
    /// An instrumented Sake.Runtime.dll writes every branch into AFL's shared memory; outside afl-fuzz there is
    /// none, so a replay of a crash with fuzz.sh's build would fault on the first branch. A scratch map absorbs it.
    /// </summary>
    private static unsafe void GiveCoverageSomewhereToGo()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
        }
    }

    /// <summary>The split seed comes from the input itself, so a crash file replays exactly.</summary>
    private static ulong Seed(ReadOnlySpan<byte> input)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in input)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return h;
    }

    private static int Replay(ReadOnlySpan<string> files)
    {
        int failures = 0;
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            try
            {
                var result = PipelineInvariants.Check(input, Seed(input));
                Console.WriteLine($"{file}: {result.Requests.Count} request(s), {result.End}{(result.End == PipelineEnd.Rejected ? " " + result.Status + " (" + result.Reason + ")" : "")}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"{file}: FAILED\n{e}");
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
