using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Results (GitHub markdown and CSV) are written to tests/Truto.Mappings.Benchmarks/results.
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "Truto.Mappings.Benchmarks", "results"));
var config = DefaultConfig.Instance
    .WithArtifactsPath(results)
    .AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(10).WithLaunchCount(1));
BenchmarkSwitcher.FromAssembly(typeof(Truto.Mappings.Benchmarks.MappingBenchmarks).Assembly).Run(args, config);
