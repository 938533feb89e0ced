using System.Text;

namespace Sake.Http;

/// <summary>Finds one key in an application/x-www-form-urlencoded query without splitting the whole string.</summary>
internal static class QueryStringParser
{
    public static string? Find(ReadOnlySpan<byte> query, string name)
    {
        Span<byte> decodedKey = stackalloc byte[256];
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query.Slice(0, amp);
            query = amp < 0 ? default : query.Slice(amp + 1);
            int eq = pair.IndexOf((byte)'=');
            var key = eq < 0 ? pair : pair.Slice(0, eq);
            var value = eq < 0 ? default : pair.Slice(eq + 1);
            if (key.Length <= decodedKey.Length)
            {
                int keyLength = Decode(key, decodedKey);
                if (keyLength >= 0 && Utf8EqualsString(decodedKey.Slice(0, keyLength), name))
                {
                    return DecodeToString(value);
                }
            }
        }

        return null;
    }

    private static bool Utf8EqualsString(ReadOnlySpan<byte> utf8, string s)
    {
        if (Ascii.IsValid(utf8))
        {
            return Ascii.Equals(utf8, s);
        }

        return Encoding.UTF8.GetString(utf8) == s;
    }

    internal static string DecodeToString(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        byte[]? rented = null;
        Span<byte> buffer = value.Length <= 512 ? stackalloc byte[512] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(value.Length));
        int length = Decode(value, buffer);
        string result = length < 0 ? Encoding.UTF8.GetString(value) : Encoding.UTF8.GetString(buffer.Slice(0, length));
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return result;
    }

    /// <summary>Percent- and '+'-decodes into output; -1 when an escape is malformed.</summary>
    private static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int o = 0;
        for (int i = 0; i < input.Length; i++)
        {
            byte b = input[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%')
            {
                if (i + 2 >= input.Length || !char.IsAsciiHexDigit((char)input[i + 1]) || !char.IsAsciiHexDigit((char)input[i + 2]))
                {
                    return -1;
                }

                b = (byte)((Hex(input[i + 1]) << 4) | Hex(input[i + 2]));
                i += 2;
            }

            output[o++] = b;
        }

        return o;
    }

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
