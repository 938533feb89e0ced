using System.Diagnostics;
using System.Globalization;

// Two threads hand a token back and forth through SemaphoreSlim: one round trip is two wake-ups, the same
// hand-off a worker request makes (loop -> worker, worker -> loop). Hot: back to back, the waits catch the token
// while spinning. Cold: after 1 ms apart, the waiting thread really sleeps, as an idle pool does.
Console.WriteLine(Measure("hot (back to back)", 20_000, idle: false));
Console.WriteLine(Measure("cold (after 1 ms idle)", 2_000, idle: true));

static string Measure(string label, int rounds, bool idle)
{
    using var ping = new SemaphoreSlim(0);
    using var pong = new SemaphoreSlim(0);
    var other = new Thread(() =>
    {
        for (int i = 0; i < rounds; i++)
        {
            ping.Wait();
            pong.Release();
        }
    });
    other.Start();
    var samples = new double[rounds];
    for (int i = 0; i < rounds; i++)
    {
        if (idle)
        {
            Thread.Sleep(1);
        }

        long start = Stopwatch.GetTimestamp();
        ping.Release();
        pong.Wait();
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    other.Join();
    Array.Sort(samples);
    return string.Create(CultureInfo.InvariantCulture,
        $"{label}: round trip p10 {samples[rounds / 10]:F1} µs, p50 {samples[rounds / 2]:F1} µs, p90 {samples[rounds * 9 / 10]:F1} µs");
}
