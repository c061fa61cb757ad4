using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Results (GitHub markdown and CSV) are written to tests/Truto.Mappings.Benchmarks/results.
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "Truto.Mappings.Benchmarks", "results"));
var config = DefaultConfig.Instance
    .WithArtifactsPath(results)
    .AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(10).WithLaunchCount(1))
    // The generated benchmark project builds the server and the generator: more than the default
    // two minutes on a small shared machine.
    .WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(Truto.Mappings.Benchmarks.MappingBenchmarks).Assembly).Run(args, config);
