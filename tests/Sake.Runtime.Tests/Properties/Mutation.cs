using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Sake.Runtime.Tests.Properties;

/// <summary>The edits <see cref="Mutation"/> can make to a request's bytes.</summary>
internal enum MutationKind
{
    FlipBit,
    SetByte,
    Insert,
    Delete,
    DuplicateLine,
    Truncate,
}

/// <summary>
/// One edit at a relative position (0..9999 of the input's length, so it applies to any input and shrinks
/// independently of it). Inserted bytes and snippets favour what the parser branches on: CR, LF, SP, HTAB, ':',
/// ',', ';', NUL, DEL, obs-text, and whole framing headers (a second Content-Length, a Transfer-Encoding).
/// </summary>
internal sealed record Mutation(MutationKind Kind, int Position, int Value)
{
    private static readonly byte[] Interesting = [(byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)':', (byte)',', (byte)';', 0, 0x7F, 0x80, 0xFF, (byte)'0', (byte)'%', (byte)'/', (byte)'.', (byte)'#', (byte)'"'];

    private static readonly string[] Snippets =
    [
        "\r\n", "\n", "\r", "\r\n\r\n", " ", "\t", "Content-Length: 3\r\n", "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip\r\n", "Host: y\r\n", "Connection: close\r\n", "Expect: 100-continue\r\n", "Expect: x\r\n",
        "0\r\n\r\n", "ffffffffffffffff\r\n", "5;" + new string('x', 40) + "\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "/../", "%00", "%2f", "HTTP/1.0", "HTTP/2.0",
    ];

    public static Gen<Mutation> Any =>
        from kind in Gen.Elements(Enum.GetValues<MutationKind>())
        from position in Gen.Choose(0, 9999)
        from value in Gen.Choose(0, 1023)
        select new Mutation(kind, position, value);

    public static Gen<Mutation[]> Some => Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Any, n));

    public static byte[] ApplyAll(byte[] input, IEnumerable<Mutation> mutations)
    {
        foreach (var m in mutations)
        {
            input = m.Apply(input);
        }

        return input;
    }

    public byte[] Apply(byte[] input)
    {
        int at = (int)((long)Position * input.Length / 10_000);
        var list = new List<byte>(input);
        switch (Kind)
        {
            case MutationKind.FlipBit when input.Length > 0:
                list[at] ^= (byte)(1 << (Value % 8));
                break;
            case MutationKind.SetByte when input.Length > 0:
                list[at] = Value % 3 == 0 ? (byte)Value : Interesting[Value % Interesting.Length];
                break;
            case MutationKind.Insert:
                list.InsertRange(at, Value % 2 == 0 ? [Interesting[Value % Interesting.Length]] : Encoding.Latin1.GetBytes(Snippets[Value % Snippets.Length]));
                break;
            case MutationKind.Delete when input.Length > 0:
                list.RemoveRange(at, Math.Min(1 + (Value % 8), input.Length - at));
                break;
            case MutationKind.DuplicateLine:
                DuplicateLine(list, at);
                break;
            case MutationKind.Truncate:
                list.RemoveRange(at, input.Length - at);
                break;
        }

        return list.ToArray();
    }

    /// <summary>Repeats the line that contains <paramref name="at"/> (a header line, mostly): duplicate Host, Content-Length and so on.</summary>
    private static void DuplicateLine(List<byte> list, int at)
    {
        if (list.Count == 0)
        {
            return;
        }

        at = Math.Min(at, list.Count - 1);
        int start = list.LastIndexOf((byte)'\n', at) + 1;
        if (start > at)
        {
            start = at;
        }

        int end = list.IndexOf((byte)'\n', at);
        end = end < 0 ? list.Count : end + 1;
        list.InsertRange(end, list.GetRange(start, end - start));
    }

    public override string ToString() => $"{Kind}@{Position / 100.0:0.##}%({Value})";
}
