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
        int written = FormatImfFixdate(now.UtcDateTime, _line.AsSpan(6));
        _line[6 + written] = HttpBytes.CR;
        _line[7 + written] = HttpBytes.LF;
        _length = 8 + written;
    }

    /// <summary>
    /// Writes IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT", and returns its length (29).
    /// By hand because Utf8Formatter's 'R' path reaches TimeZoneInfo (and its TZif parser) for a UTC value that never
    /// needs a time zone; writing 29 fixed-width bytes is all the header takes.
    /// </summary>
    internal static int FormatImfFixdate(DateTime utc, Span<byte> destination)
    {
        ReadOnlySpan<byte> days = "SunMonTueWedThuFriSat"u8;
        ReadOnlySpan<byte> months = "JanFebMarAprMayJunJulAugSepOctNovDec"u8;
        var d = destination[..29];
        days.Slice((int)utc.DayOfWeek * 3, 3).CopyTo(d);
        d[3] = (byte)',';
        d[4] = (byte)' ';
        TwoDigits(d[5..], utc.Day);
        d[7] = (byte)' ';
        months.Slice((utc.Month - 1) * 3, 3).CopyTo(d[8..]);
        d[11] = (byte)' ';
        int year = utc.Year;
        TwoDigits(d[12..], year / 100);
        TwoDigits(d[14..], year % 100);
        d[16] = (byte)' ';
        TwoDigits(d[17..], utc.Hour);
        d[19] = (byte)':';
        TwoDigits(d[20..], utc.Minute);
        d[22] = (byte)':';
        TwoDigits(d[23..], utc.Second);
        " GMT"u8.CopyTo(d[25..]);
        return 29;
    }

    private static void TwoDigits(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }
}
