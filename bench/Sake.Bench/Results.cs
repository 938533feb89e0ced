using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sake.Bench;

/// <summary>Everything one run measured; written to artifacts/bench/results.json and rendered from it.</summary>
internal sealed class Results
{
    public string Date { get; set; } = "";
    public string Mode { get; set; } = "";
    public string Machine { get; set; } = "";
    public string Kernel { get; set; } = "";
    public string Sdk { get; set; } = "";
    public string LoadBefore { get; set; } = "";
    public string LoadAfter { get; set; } = "";
    public string Command { get; set; } = "";
    public int Rounds { get; set; }
    public double DurationSeconds { get; set; }
    public List<string> BuildCommands { get; set; } = new();
    public List<ScenarioResult> Scenarios { get; set; } = new();

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    public static Results Load(string path) =>
        JsonSerializer.Deserialize<Results>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
}

/// <summary>One scenario: its numbers (one list of samples per side, in round order), the commands that made them, notes.</summary>
internal sealed class ScenarioResult
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Skipped { get; set; }
    public string? Failed { get; set; }
    public double Seconds { get; set; }
    public List<string> Commands { get; set; } = new();
    public List<Metric> Metrics { get; set; } = new();
    public List<Series> Series { get; set; } = new();
    public List<string> Notes { get; set; } = new();

    public Metric Metric(string group, string name, string unit, bool higherIsBetter = true, string? chart = null, params string[] ratios)
    {
        var m = Metrics.Find(x => x.Group == group && x.Name == name);
        if (m is null)
        {
            m = new Metric { Group = group, Name = name, Unit = unit, HigherIsBetter = higherIsBetter, Chart = chart, Ratios = ratios.ToList() };
            Metrics.Add(m);
        }

        return m;
    }

    public bool HasNumbers => Metrics.Exists(m => m.Samples.Values.Any(v => v.Exists(double.IsFinite)));
}

/// <summary>A measure in a group (e.g. "rps" in "AOT pinned /plaintext"), sampled on each side.</summary>
internal sealed class Metric
{
    public string Group { get; set; } = "";
    public string Name { get; set; } = "";
    public string Unit { get; set; } = "";
    public bool HigherIsBetter { get; set; } = true;

    /// <summary>Metrics with the same chart name are drawn as one grouped bar chart (docs/benchmarks/NAME.png).</summary>
    public string? Chart { get; set; }

    /// <summary>Side name → samples in round order (NaN: the run produced no number).</summary>
    public Dictionary<string, List<double>> Samples { get; set; } = new();

    /// <summary>Ratios to print: "A/B" → median(A) / median(B).</summary>
    public List<string> Ratios { get; set; } = new();

    public void Add(string side, double value)
    {
        if (!Samples.TryGetValue(side, out var list))
        {
            Samples[side] = list = new List<double>();
        }

        list.Add(value);
    }

    public double Median(string side) => Samples.TryGetValue(side, out var list) ? Stats.Median(list) : double.NaN;

    public double Ratio(string pair)
    {
        var parts = pair.Split('/');
        return Median(parts[0]) / Median(parts[1]);
    }
}

/// <summary>A line of a line chart (x, y pairs).</summary>
internal sealed class Series
{
    public string Chart { get; set; } = "";
    public string Name { get; set; } = "";
    public string XLabel { get; set; } = "";
    public string YLabel { get; set; } = "";
    public List<double> X { get; set; } = new();
    public List<double> Y { get; set; } = new();
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0)
        {
            return double.NaN;
        }

        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }
}
