using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Results (GitHub markdown and CSV) are written to tests/Truto.Mappings.Benchmarks/results.
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "Truto.Mappings.Benchmarks", "results"));
if (args is ["--cpu-time", ..] )
{
    Truto.Mappings.Benchmarks.CpuTimeComparison.Run(args.Length > 1 ? args[1] : null);
    return;
}
var job = Job.Default.WithWarmupCount(5).WithIterationCount(10).WithLaunchCount(1);
// --in-process runs the benchmarks in this process instead of a generated project, which builds
// the server and the generator again (minutes on a small shared machine): same code, same JIT.
if (args.Contains("--in-process"))
{
    job = job.WithToolchain(InProcessEmitToolchain.Instance);
    args = [.. args.Where(a => a != "--in-process")];
}
var config = DefaultConfig.Instance
    .WithArtifactsPath(results)
    .AddJob(job)
    // Fixture names (provider/case) in full.
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48))
    // The generated benchmark project builds the server and the generator: more than the default
    // two minutes on a small shared machine.
    .WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(Truto.Mappings.Benchmarks.MappingBenchmarks).Assembly).Run(args, config);
