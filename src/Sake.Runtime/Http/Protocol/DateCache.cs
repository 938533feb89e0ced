using System.Buffers.Text;

namespace Sake.Http.Protocol;

/// <summary>
/// The <c>Date</c> header line (RFC 9110 §6.6.1), formatted once a second by the loop's heartbeat rather than
/// per response. Only the loop reads or writes it.
/// </summary>
internal sealed class DateCache
{
    private readonly byte[] _line = new byte[64];
    private int _length;
    private long _lastSecond = -1;

    public DateCache() => Update(DateTimeOffset.UtcNow);

    /// <summary>"Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".</summary>
    public ReadOnlySpan<byte> HeaderLine => _line.AsSpan(0, _length);

    public void Update(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        if (second == _lastSecond)
        {
            return;
        }

        _lastSecond = second;
        "Date: "u8.CopyTo(_line);
        Utf8Formatter.TryFormat(now, _line.AsSpan(6), out int written, new System.Buffers.StandardFormat('R'));
        _line[6 + written] = HttpBytes.CR;
        _line[7 + written] = HttpBytes.LF;
        _length = 8 + written;
    }
}
