using System.Globalization;
using System.Text;
using ScottPlot;

namespace Sake.Bench;

/// <summary>Renders results.json into docs/benchmarks.md (between the generated markers) and docs/benchmarks/*.png.</summary>
internal static class Report
{
    public const string Begin = "<!-- generated:begin -->";
    public const string End = "<!-- generated:end -->";

    public static void Write(Results results, string root, string? mdPath = null)
    {
        string docs = Path.Combine(root, "docs");
        string md = mdPath ?? Path.Combine(docs, "benchmarks.md");
        string chartDir = Path.Combine(Path.GetDirectoryName(md)!, "benchmarks");
        Directory.CreateDirectory(chartDir);
        string generated = Render(results, chartDir);
        string existing = File.Exists(md) ? File.ReadAllText(md) : "# Benchmarks\n\n" + Begin + "\n" + End + "\n";
        int b = existing.IndexOf(Begin, StringComparison.Ordinal);
        int e = existing.IndexOf(End, StringComparison.Ordinal);
        string updated = b >= 0 && e > b
            ? existing[..b] + Begin + "\n" + generated + End + existing[(e + End.Length)..]
            : existing.TrimEnd() + "\n\n" + Begin + "\n" + generated + End + "\n";
        File.WriteAllText(md, updated);
        BenchContext.Log($"wrote {Path.GetRelativePath(root, md)} and charts in {Path.GetRelativePath(root, chartDir)}/");
    }

    private static string Render(Results res, string chartDir)
    {
        var sb = new StringBuilder();
        string cmd = res.Mode == "quick" ? "dotnet run -c Release --project bench/Sake.Bench -- quick" : "dotnet run -c Release --project bench/Sake.Bench -- all";
        sb.AppendLine();
        sb.AppendLine("<!-- This region is written by bench/Sake.Bench; edits here are lost on the next run. -->");
        sb.AppendLine();
        sb.AppendLine($"## Sake vs Kestrel: the generated run ({res.Mode})");
        sb.AppendLine();
        sb.AppendLine($"Regenerate with `{cmd}` (it installs wrk and h2load with apt-get when missing, publishes every server, runs each scenario alternating the sides round by round, and rewrites only this region and `docs/benchmarks/*.png`). Raw numbers: `artifacts/bench/results.json`.");
        sb.AppendLine();
        sb.AppendLine($"- Date: {res.Date}");
        sb.AppendLine($"- Machine: {res.Machine}; {res.Kernel}; .NET SDK {res.Sdk}");
        sb.AppendLine($"- Load average (1/5/15 min) before the run: {res.LoadBefore}; after: {res.LoadAfter}");
        if (double.TryParse(res.LoadBefore.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double load) && load > 1.5)
        {
            sb.AppendLine($"- **Shared, busy machine**: the load average was {load:F1} on {Environment.ProcessorCount} CPUs when the run started (other jobs were compiling). Every number below carries that noise; alternating rounds and medians spread it over both sides, ratios are steadier than absolute figures.");
        }

        sb.AppendLine($"- Rounds: {res.Rounds} per measurement (alternating: Sake, Kestrel, Sake, Kestrel, …; startup/memory rounds as stated), measured window {res.DurationSeconds:0.#} s per run unless stated; medians in the tables, every sample in the last column.");
        sb.AppendLine($"- Command: `{res.Command}`");
        sb.AppendLine($"- Builds: {(res.BuildCommands.Count == 0 ? "none recorded" : string.Join("; ", res.BuildCommands.Select(c => $"`{c}`")))}");
        sb.AppendLine();
        sb.AppendLine("### Summary: medians and ratios");
        sb.AppendLine();
        sb.AppendLine("| scenario | measurement | ratio | medians |");
        sb.AppendLine("|---|---|---:|---|");
        foreach (var s in res.Scenarios)
        {
            if (s.Skipped is not null || s.Failed is not null)
            {
                sb.AppendLine($"| {s.Title} | {(s.Skipped ?? "failed: " + s.Failed)} | | |");
                continue;
            }

            foreach (var m in s.Metrics.Where(m => m.Ratios.Count > 0))
            {
                foreach (var pair in m.Ratios)
                {
                    var sides = pair.Split('/');
                    sb.AppendLine($"| {s.Id} | {m.Group}: {m.Name} | {pair} **{Ratio(m.Ratio(pair))}** | {sides[0]} {Num(m.Median(sides[0]))} {m.Unit}, {sides[1]} {Num(m.Median(sides[1]))} {m.Unit} |");
                }
            }

            // Measurements without a ratio that answer a goal directly.
            foreach (var m in s.Metrics.Where(m => m.Ratios.Count == 0 && KeyMeasures.Contains((s.Id, m.Name))))
            {
                string goal = s.Id == "boundary" ? " (spec < 2 %, goal ≤ 1 %)" : "";
                sb.AppendLine($"| {s.Id} | {m.Group}: {m.Name} | | {string.Join(", ", m.Samples.Keys.Select(k => $"{k} **{Num(m.Median(k))}**{(m.Unit.Length > 0 ? " " + m.Unit : "")}"))}{goal} |");
            }
        }

        sb.AppendLine();
        int n = 0;
        foreach (var s in res.Scenarios)
        {
            n++;
            sb.AppendLine($"### {n}. {s.Title}");
            sb.AppendLine();
            if (s.Skipped is not null)
            {
                sb.AppendLine($"{s.Skipped}.");
                sb.AppendLine();
                continue;
            }

            if (s.Failed is not null)
            {
                sb.AppendLine($"**Failed**: {s.Failed}");
                sb.AppendLine();
            }

            foreach (var chart in s.Metrics.Select(m => m.Chart).Concat(s.Series.Select(x => x.Chart)).OfType<string>().Distinct())
            {
                string file = chart + ".png";
                try
                {
                    if (s.Series.Exists(x => x.Chart == chart))
                    {
                        LineChart(s, chart, Path.Combine(chartDir, file));
                    }
                    else
                    {
                        BarChart(s, chart, Path.Combine(chartDir, file));
                    }

                    sb.AppendLine($"![{s.Title}: {chart}](benchmarks/{file})");
                    sb.AppendLine();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    sb.AppendLine($"(chart {file} could not be drawn: {ex.Message})");
                    sb.AppendLine();
                }
            }

            Table(sb, s);
            foreach (var note in s.Notes)
            {
                sb.AppendLine($"- {note}");
            }

            if (s.Notes.Count > 0)
            {
                sb.AppendLine();
            }

            if (s.Commands.Count > 0)
            {
                sb.AppendLine($"<details><summary>Commands ({s.Seconds:F0} s for this scenario)</summary>");
                sb.AppendLine();
                foreach (var c in s.Commands)
                {
                    sb.AppendLine($"    {c}");
                }

                sb.AppendLine();
                sb.AppendLine("</details>");
                sb.AppendLine();
            }
        }

        return sb.ToString();
    }

    private static void Table(StringBuilder sb, ScenarioResult s)
    {
        if (s.Metrics.Count == 0)
        {
            return;
        }

        var sides = s.Metrics.SelectMany(m => m.Samples.Keys).Distinct().ToList();
        bool anyRatio = s.Metrics.Exists(m => m.Ratios.Count > 0);
        sb.Append("| group | measure |");
        foreach (var side in sides)
        {
            sb.Append($" {side} |");
        }

        if (anyRatio)
        {
            sb.Append(" ratio |");
        }

        sb.AppendLine(" samples |");
        sb.Append("|---|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---:|", sides.Count + (anyRatio ? 1 : 0))));
        sb.AppendLine("---|");
        foreach (var m in s.Metrics)
        {
            string unit = m.Unit.Length > 0 ? $" ({m.Unit})" : "";
            sb.Append($"| {m.Group} | {m.Name}{unit} |");
            foreach (var side in sides)
            {
                sb.Append(m.Samples.ContainsKey(side) ? $" **{Num(m.Median(side))}** |" : " |");
            }

            if (anyRatio)
            {
                sb.Append(' ').Append(string.Join("; ", m.Ratios.Select(p => $"{p} {Ratio(m.Ratio(p))}"))).Append(" |");
            }

            sb.AppendLine(" " + string.Join("; ", m.Samples.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.Select(Num))}")) + " |");
        }

        sb.AppendLine();
    }

    private static readonly HashSet<(string, string)> KeyMeasures =
    [
        ("boundary", "boundary (worker − loop)"),
        ("boundary", "boundary as % of a 400 µs handler"),
        ("boundary", "boundary share of the whole 400 µs request"),
        ("memory", "RSS per extra worker ((64 − 1) / 63)"),
        ("memory", "workers started"),
        ("connections", "errors + non-2xx"),
        ("connections", "server sockets mid-run"),
        ("saturation", "503 share"),
        ("saturation", "p99 latency of accepted (2xx)"),
        ("saturation", "first 200 after the flood"),
        ("saturation", "connection errors"),
        ("saturation", "non-2xx"),
    ];

    public static string Num(double v)
    {
        if (!double.IsFinite(v))
        {
            return "n/a";
        }

        double a = Math.Abs(v);
        string f = a >= 1000 ? "N0" : a >= 100 ? "F0" : a >= 10 ? "F1" : a >= 1 ? "F2" : a == 0 ? "F0" : "F3";
        return v.ToString(f, CultureInfo.InvariantCulture);
    }

    private static string Ratio(double v) => double.IsFinite(v) ? v.ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a";

    private static readonly Color[] Palette =
    [
        Color.FromHex("#D95F02"), Color.FromHex("#1B9E77"), Color.FromHex("#7570B3"), Color.FromHex("#E7298A"), Color.FromHex("#66A61E"), Color.FromHex("#E6AB02"),
    ];

    /// <summary>Grouped bars: one group per metric, one bar per side (median, labelled), the ratio under each group.</summary>
    private static void BarChart(ScenarioResult s, string chart, string path)
    {
        var metrics = s.Metrics.Where(m => m.Chart == chart).ToList();
        var sides = metrics.SelectMany(m => m.Samples.Keys).Distinct().ToList();
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        bool oneName = metrics.Select(m => m.Name).Distinct().Count() == 1;
        for (int g = 0; g < metrics.Count; g++)
        {
            var m = metrics[g];
            double x0 = g * (sides.Count + 1);
            for (int i = 0; i < sides.Count; i++)
            {
                double v = m.Median(sides[i]);
                if (!double.IsFinite(v))
                {
                    continue;
                }

                bars.Add(new Bar { Position = x0 + i, Value = v, FillColor = Palette[i % Palette.Length], Label = Num(v) });
            }

            string label = oneName ? m.Group : $"{m.Group}\n{m.Name}";
            if (m.Ratios.Count > 0)
            {
                label += "\n" + string.Join("\n", m.Ratios.Select(p => $"{p} {Ratio(m.Ratio(p))}"));
            }

            ticks.Add(new Tick(x0 + ((sides.Count - 1) / 2.0), label));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        double top = bars.Count > 0 ? bars.Max(b => b.Value) : 1;
        plot.Axes.SetLimits(-1, (metrics.Count - 1) * (sides.Count + 1) + sides.Count, 0, top > 0 ? top * 1.3 : 1);
        for (int i = 0; i < sides.Count; i++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = sides[i], FillColor = Palette[i % Palette.Length] });
        }

        plot.ShowLegend(Alignment.UpperRight);
        var first = metrics[0];
        plot.Title(oneName ? $"{s.Title}\n{first.Name} (median{(first.HigherIsBetter ? ", higher is better" : ", lower is better")})" : s.Title, size: 13);
        plot.YLabel(oneName ? $"{first.Name}, {first.Unit}" : string.Join(" / ", metrics.Select(m => m.Unit).Distinct()));
        plot.SavePng(path, Math.Max(700, 160 * metrics.Count * Math.Max(1, sides.Count) / 2 + 200), 480);
    }

    /// <summary>Lines over categorical x positions when x spans decades (connections), else over x itself (seconds).</summary>
    private static void LineChart(ScenarioResult s, string chart, string path)
    {
        var series = s.Series.Where(x => x.Chart == chart).ToList();
        var plot = new Plot();
        var xs = series.SelectMany(x => x.X).Distinct().OrderBy(x => x).ToList();
        bool categorical = xs.Count <= 6 && xs[^1] / Math.Max(1e-9, xs[0]) >= 50;
        for (int i = 0; i < series.Count; i++)
        {
            var sr = series[i];
            double[] x = categorical ? sr.X.Select(v => (double)xs.IndexOf(v)).ToArray() : sr.X.ToArray();
            var line = plot.Add.Scatter(x, sr.Y.ToArray(), Palette[i % Palette.Length]);
            line.LegendText = sr.Name;
            line.MarkerSize = categorical ? 8 : 0;
            line.LineWidth = 2;
        }

        if (categorical)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                xs.Select((v, i) => new Tick(i, v.ToString("N0", CultureInfo.InvariantCulture))).ToArray());
        }

        foreach (var note in s.Notes.Where(n => n.Contains("flood from", StringComparison.Ordinal)).Take(1))
        {
            // Shade the first round's flood window on the RSS chart.
            var parts = note.Split(' ');
            int from = Array.IndexOf(parts, "from");
            if (from > 0 && double.TryParse(parts[from + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                && double.TryParse(parts[from + 4], NumberStyles.Float, CultureInfo.InvariantCulture, out double b))
            {
                var span = plot.Add.HorizontalSpan(a, b);
                span.FillStyle.Color = Colors.Gray.WithAlpha(0.15);
                span.LegendText = "flood (round 1)";
            }
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title($"{s.Title}", size: 13);
        plot.XLabel(series[0].XLabel);
        plot.YLabel(series[0].YLabel);
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, 800, 450);
    }
}
