using System.Text;
using System.Text.Json;
using Sake.Workers;

namespace Sake.Runtime.Tests.Workers;

/// <summary>
/// <see cref="JsonSyntax"/> decides which bodies are embedded raw into the worker payload, so it must agree with
/// <see cref="Utf8JsonReader"/> (the oracle): never accept what the reader rejects.
/// </summary>
public sealed class JsonSyntaxTests
{
    private const int Depth = WorkerCodec.MaxEmbeddedDepth;

    /// <summary>What the reader says: one object or array, nothing around it, valid UTF-8, within the depth.</summary>
    private static bool Oracle(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2 || (bytes[0] != (byte)'{' && bytes[0] != (byte)'[') || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = Depth });
        try
        {
            return reader.Read() && reader.TrySkip() && reader.BytesConsumed == bytes.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("[]", true)]
    [InlineData("{ }", true)]
    [InlineData("[ 1 , 2 ]", true)]
    [InlineData("{\"a\":1}", true)]
    [InlineData("{\"a\" : [true,false,null,-0,0.5,1e5,1E+5,-1.5e-7,\"\\u00e9\\n\\\"\\\\\\/\"]}", true)]
    [InlineData("{\"a\":{\"b\":{\"c\":[[[]]]}}}", true)]
    [InlineData("{\"é😀\":\"é😀\"}", true)]
    [InlineData(" {}", false)]
    [InlineData("{} ", false)]
    [InlineData("{}{}", false)]
    [InlineData("[1]]", false)]
    [InlineData("{\"a\":1}}", false)]
    [InlineData("{\"a\":1,}", false)]
    [InlineData("[1,]", false)]
    [InlineData("[,1]", false)]
    [InlineData("{a:1}", false)]
    [InlineData("{'a':1}", false)]
    [InlineData("{\"a\" 1}", false)]
    [InlineData("{\"a\":}", false)]
    [InlineData("[01]", false)]
    [InlineData("[1.]", false)]
    [InlineData("[.5]", false)]
    [InlineData("[-]", false)]
    [InlineData("[1e]", false)]
    [InlineData("[+1]", false)]
    [InlineData("[tru]", false)]
    [InlineData("[True]", false)]
    [InlineData("[nul]", false)]
    [InlineData("[\"a]", false)]
    [InlineData("[\"\\x\"]", false)]
    [InlineData("[\"\\u12g4\"]", false)]
    [InlineData("[\"\\u123\"]", false)]
    [InlineData("[\"tab\there\"]", false)]
    [InlineData("[1 2]", false)]
    [InlineData("{\"a\":1 \"b\":2}", false)]
    [InlineData("[}", false)]
    [InlineData("{]", false)]
    [InlineData("[/* c */1]", false)]
    [InlineData("[NaN]", false)]
    [InlineData("[Infinity]", false)]
    public void KnownCases(string text, bool valid)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(valid, Oracle(bytes));
        Assert.Equal(valid, JsonSyntax.IsObjectOrArray(bytes, Depth));
    }

    [Fact]
    public void InvalidUtf8IsRejectedEvenInsideAString()
    {
        byte[] bytes = [(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']'];
        Assert.False(JsonSyntax.IsObjectOrArray(bytes, Depth));
        Assert.False(JsonSyntax.IsObjectOrArray([(byte)'[', (byte)'"', 0xFF, (byte)'"', (byte)']'], Depth));
    }

    [Theory]
    [InlineData(Depth - 1)]
    [InlineData(Depth)]
    [InlineData(Depth + 1)]
    [InlineData(200)]
    public void DepthLimitMatchesTheReader(int depth)
    {
        foreach (var (open, close) in new[] { ("[", "]"), ("{\"k\":", "}") })
        {
            var text = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
            var bytes = Encoding.UTF8.GetBytes(text);
            Assert.Equal(depth <= Depth, Oracle(bytes));
            Assert.Equal(depth <= Depth, JsonSyntax.IsObjectOrArray(bytes, Depth));
        }
    }

    /// <summary>Thousands of random documents, and one-byte mutations of them: the two must agree on every one.</summary>
    [Fact]
    public void AgreesWithUtf8JsonReaderOnGeneratedAndMutatedDocuments()
    {
        var random = new Random(20261128);
        byte[] interesting = Encoding.UTF8.GetBytes("{}[]\",:\\ 0123456789eE+-.tfnrua\n\t\r/x").Concat(new byte[] { 0x01, 0x1F, 0xC3, 0xA9, 0xFF, 0x80 }).ToArray();
        int accepted = 0;
        int rejected = 0;
        for (int doc = 0; doc < 3000; doc++)
        {
            var sb = new StringBuilder();
            WriteValue(sb, random, depth: 0, container: true);
            byte[] valid = Encoding.UTF8.GetBytes(sb.ToString());
            Check(valid);
            for (int m = 0; m < 8; m++)
            {
                var mutated = new List<byte>(valid);
                int at = random.Next(mutated.Count);
                switch (random.Next(4))
                {
                    case 0:
                        mutated.RemoveAt(at);
                        break;
                    case 1:
                        mutated.Insert(at, interesting[random.Next(interesting.Length)]);
                        break;
                    case 2:
                        mutated[at] = interesting[random.Next(interesting.Length)];
                        break;
                    default:
                        mutated.RemoveRange(at, mutated.Count - at);
                        break;
                }

                Check(mutated.ToArray());
            }
        }

        // The corpus must exercise both answers, or agreement would prove nothing.
        Assert.True(accepted > 3000 && rejected > 10000, $"accepted {accepted}, rejected {rejected}");

        void Check(byte[] bytes)
        {
            bool expected = Oracle(bytes);
            bool actual = JsonSyntax.IsObjectOrArray(bytes, Depth);
            if (expected != actual)
            {
                Assert.Fail($"reader says {expected}, JsonSyntax says {actual} for: {Encoding.UTF8.GetString(bytes)} ({Convert.ToHexString(bytes)})");
            }

            if (expected)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }
    }

    private static void WriteValue(StringBuilder sb, Random random, int depth, bool container)
    {
        int kind = container ? random.Next(2) : random.Next(depth > 6 ? 2 : 0, 9);
        string ws = random.Next(4) == 0 ? " \n\t\r"[random.Next(4)].ToString() : "";
        switch (kind)
        {
            case 0:
                sb.Append('{').Append(ws);
                int members = random.Next(4);
                for (int i = 0; i < members; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',').Append(ws);
                    }

                    WriteString(sb, random);
                    sb.Append(ws).Append(':').Append(ws);
                    WriteValue(sb, random, depth + 1, container: false);
                    sb.Append(ws);
                }

                sb.Append('}');
                break;
            case 1:
                sb.Append('[').Append(ws);
                int items = random.Next(4);
                for (int i = 0; i < items; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',').Append(ws);
                    }

                    WriteValue(sb, random, depth + 1, container: false);
                }

                sb.Append(ws).Append(']');
                break;
            case 2:
            case 3:
                WriteString(sb, random);
                break;
            case 4:
            case 5:
                string[] numbers = ["0", "-0", "12", "-3.25", "1e9", "6.02E+23", "1.5e-7", "123456789012345678901234567890"];
                sb.Append(numbers[random.Next(numbers.Length)]);
                break;
            case 6:
                sb.Append("true");
                break;
            case 7:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder sb, Random random)
    {
        string[] parts = ["a", "key", "é", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\uD83D\\uDE00", "\\uD800", " ", "x y"];
        sb.Append('"');
        int n = random.Next(4);
        for (int i = 0; i < n; i++)
        {
            sb.Append(parts[random.Next(parts.Length)]);
        }

        sb.Append('"');
    }
}
