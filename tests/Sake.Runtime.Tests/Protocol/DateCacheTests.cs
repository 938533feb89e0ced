using System.Globalization;
using System.Text;
using Sake.Http.Protocol;

namespace Sake.Runtime.Tests.Protocol;

/// <summary>The hand-written IMF-fixdate formatter agrees with .NET's "R" format.</summary>
public sealed class DateCacheTests
{
    [Fact]
    public void FormatsLikeTheRfc1123PatternAcrossTheCalendar()
    {
        var random = new Random(1234);
        Span<byte> buffer = stackalloc byte[32];
        var checkedDates = new List<DateTime>
        {
            new(1994, 11, 6, 8, 49, 37, DateTimeKind.Utc),
            new(2000, 2, 29, 23, 59, 59, DateTimeKind.Utc),
            new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc),
            new(999, 7, 4, 12, 0, 5, DateTimeKind.Utc),
        };
        for (int i = 0; i < 5000; i++)
        {
            checkedDates.Add(new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc));
        }

        foreach (var date in checkedDates)
        {
            int written = DateCache.FormatImfFixdate(date, buffer);
            Assert.Equal(date.ToString("R", CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer[..written]));
        }
    }

    [Fact]
    public void TheHeaderLineIsTheCurrentSecond()
    {
        var cache = new DateCache();
        var now = new DateTimeOffset(2026, 11, 29, 3, 4, 5, TimeSpan.Zero);
        cache.Update(now);
        Assert.Equal("Date: Sun, 29 Nov 2026 03:04:05 GMT\r\n", Encoding.ASCII.GetString(cache.HeaderLine));
        cache.Update(now.AddHours(2));
        Assert.Equal("Date: Sun, 29 Nov 2026 05:04:05 GMT\r\n", Encoding.ASCII.GetString(cache.HeaderLine));
    }
}
