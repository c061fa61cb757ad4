using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// The ratios of <see cref="MappingBenchmarks"/> measured in CPU time rather than wall time, for a
/// machine other work shares (as this project's 2-core build machine is, while other builds run):
/// each round measures the hand-written and the generated mapper back to back for about half a
/// second of CPU each, so both see the same machine; the table gives medians over the rounds.
/// <c>--cpu-time [file]</c>.
/// </summary>
internal static class CpuTimeComparison
{
    private const int Rounds = 15;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    public static void Run(string? resultsFile)
    {
        var benchmarks = new MappingBenchmarks();
        benchmarks.Setup();
        (string Category, Func<int> Baseline, Func<int> Generated)[] pairs =
        [
            ("Nutshell delete answer", benchmarks.HandWrittenNutshell, benchmarks.GeneratedNutshell),
            ("Salesforce 200-item batch answer", benchmarks.HandWrittenSalesforceBatch, benchmarks.GeneratedSalesforceBatch),
        ];
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"CPU time per answer, median of {Rounds} rounds ({Environment.ProcessorCount} cores, load average {LoadAverage()} at the start):");
        report.AppendLine();
        report.AppendLine("| category | hand-written µs | generated µs | ratio (median of per-round ratios) |");
        report.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (category, baseline, generated) in pairs)
        {
            var iterations = Calibrate(baseline);
            var baselineTimes = new List<double>();
            var generatedTimes = new List<double>();
            var ratios = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                var b = Measure(baseline, iterations);
                var g = Measure(generated, iterations);
                baselineTimes.Add(b);
                generatedTimes.Add(g);
                ratios.Add(g / b);
            }
            report.AppendLine(CultureInfo.InvariantCulture, $"| {category} | {Median(baselineTimes):F2} | {Median(generatedTimes):F2} | {Median(ratios):F2} |");
        }
        report.AppendLine();
        report.AppendLine("Where the generated batch answer's time and memory go, stage by stage (CPU µs and bytes allocated per answer):");
        report.AppendLine();
        report.AppendLine("| stage | CPU µs | allocated B |");
        report.AppendLine("| --- | ---: | ---: |");
        foreach (var (stage, action) in benchmarks.SalesforceBatchStages())
        {
            var iterations = Calibrate(action);
            var times = Enumerable.Range(0, 5).Select(_ => Measure(action, iterations)).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {stage} | {Median(times):F2} | {Allocated(action)} |");
        }
        Console.WriteLine(report);
        if (resultsFile is not null)
        {
            File.AppendAllText(resultsFile, report + Environment.NewLine);
        }
    }

    /// <summary>Iterations of about one window of CPU, after a warm-up that lets tiered JIT settle.</summary>
    private static int Calibrate(Func<int> action)
    {
        for (var i = 0; i < 20_000; i++)
        {
            action();
        }
        var iterations = 1000;
        while (Measure(action, iterations) * iterations < Window.TotalMicroseconds)
        {
            iterations *= 2;
        }
        return iterations;
    }

    /// <summary>Microseconds of this process's CPU per call.</summary>
    private static double Measure(Func<int> action, int iterations)
    {
        var process = Process.GetCurrentProcess();
        var start = process.TotalProcessorTime;
        for (var i = 0; i < iterations; i++)
        {
            action();
        }
        process.Refresh();
        return (process.TotalProcessorTime - start).TotalMicroseconds / iterations;
    }

    private static long Allocated(Func<int> action)
    {
        const int Count = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            action();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / Count;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
