namespace LoadGen;

/// <summary>
/// Counters and a latency histogram owned by one thread ([ThreadStatic]), so recording costs no atomic
/// operation and no shared cache line; <see cref="Merge"/> sums them once the run is over.
/// </summary>
internal sealed class Stats
{
    // Log-linear buckets over microseconds: exact below 1024 µs, then 128 buckets per power of two
    // (under 0.8 % relative error) up to 2^41 µs.
    private const int Linear = 1024;
    private const int SubBits = 7;
    private const int SubBuckets = 1 << SubBits;
    private const int Octaves = 32;

    private static readonly List<Stats> All = new();

    [ThreadStatic]
    private static Stats? t_current;

    public long[] Histogram { get; } = new long[Linear + (Octaves * SubBuckets)];

    /// <summary>The same histogram, 2xx responses only (the latency of accepted requests when a server sheds load).</summary>
    public long[] OkHistogram { get; } = new long[Linear + (Octaves * SubBuckets)];

    public long Requests;
    public long Non2xx;
    public long ConnectErrors;
    public long ReadWriteErrors;
    public long Timeouts;
    public long ProtocolErrors;
    public long PrematureCloses;
    public long Reconnects;

    public long Errors => ConnectErrors + ReadWriteErrors + Timeouts + ProtocolErrors + PrematureCloses;

    /// <summary>This thread's instance.</summary>
    public static Stats Current
    {
        get
        {
            var s = t_current;
            if (s is null)
            {
                s = t_current = new Stats();
                lock (All)
                {
                    All.Add(s);
                }
            }

            return s;
        }
    }

    public void RecordLatency(long micros, bool ok)
    {
        int bucket = BucketOf(micros);
        Histogram[bucket]++;
        if (ok)
        {
            OkHistogram[bucket]++;
        }
    }

    /// <summary>Sums every thread's instance. Call after the measured window has closed.</summary>
    public static Stats Merge()
    {
        var total = new Stats();
        lock (All)
        {
            foreach (var s in All)
            {
                total.Requests += Volatile.Read(ref s.Requests);
                total.Non2xx += Volatile.Read(ref s.Non2xx);
                total.ConnectErrors += Volatile.Read(ref s.ConnectErrors);
                total.ReadWriteErrors += Volatile.Read(ref s.ReadWriteErrors);
                total.Timeouts += Volatile.Read(ref s.Timeouts);
                total.ProtocolErrors += Volatile.Read(ref s.ProtocolErrors);
                total.PrematureCloses += Volatile.Read(ref s.PrematureCloses);
                total.Reconnects += Volatile.Read(ref s.Reconnects);
                for (int i = 0; i < s.Histogram.Length; i++)
                {
                    total.Histogram[i] += Volatile.Read(ref s.Histogram[i]);
                    total.OkHistogram[i] += Volatile.Read(ref s.OkHistogram[i]);
                }
            }
        }

        return total;
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) in milliseconds; NaN without samples.</summary>
    public double PercentileMs(double q) => PercentileMs(Histogram, q);

    /// <summary>As <see cref="PercentileMs(double)"/>, over 2xx responses only.</summary>
    public double OkPercentileMs(double q) => PercentileMs(OkHistogram, q);

    private static double PercentileMs(long[] histogram, double q)
    {
        long count = 0;
        foreach (long c in histogram)
        {
            count += c;
        }

        if (count == 0)
        {
            return double.NaN;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(q * count));
        long seen = 0;
        for (int i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank)
            {
                return MidpointOf(i) / 1000.0;
            }
        }

        return MidpointOf(histogram.Length - 1) / 1000.0;
    }

    private static int BucketOf(long micros)
    {
        if (micros < Linear)
        {
            return (int)Math.Max(0, micros);
        }

        int octave = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)micros); // >= 10
        int sub = (int)(micros >> (octave - SubBits)) & (SubBuckets - 1);
        int index = Linear + ((octave - 10) * SubBuckets) + sub;
        return Math.Min(index, Linear + (Octaves * SubBuckets) - 1);
    }

    private static double MidpointOf(int index)
    {
        if (index < Linear)
        {
            return index + 0.5;
        }

        int octave = ((index - Linear) / SubBuckets) + 10;
        int sub = (index - Linear) % SubBuckets;
        double width = Math.Pow(2, octave - SubBits);
        return Math.Pow(2, octave) + (sub * width) + (width / 2);
    }
}
