using System.Diagnostics;
using System.Text.RegularExpressions;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Tests;

/// <summary>
/// <c>tests/refresh-snapshots.sh</c>, the one command that refreshes every generated file a
/// provider touches, and the guide that lists those files (mappings/README.md, "Writing a
/// provider"): the script refreshes every committed snapshot, runs tests that exist, and every
/// path the guide names exists.
/// </summary>
public sealed partial class RefreshScriptTests
{
    private static readonly string Script = Path.Combine(ProviderFiles.Root, "tests", "refresh-snapshots.sh");

    [Fact]
    public async Task The_script_is_valid_bash()
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", Script]) { RedirectStandardError = true })!;
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, errors);
    }

    [Fact]
    public void Every_committed_snapshot_is_one_the_script_refreshes()
    {
        var patterns = Refreshes().Select(r => Glob(r.Pattern)).ToList();
        var snapshots = Files().Where(f => f.Contains(".verified.", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(snapshots);
        Assert.All(snapshots, file => Assert.True(patterns.Any(p => p.IsMatch(file)), $"{file} is a snapshot tests/refresh-snapshots.sh does not name in a '# refreshes:' line."));
        Assert.All(Refreshes(), r => Assert.Contains(Files(), f => Glob(r.Pattern).IsMatch(f)));
    }

    [Fact]
    public void Every_test_class_the_script_names_exists_in_the_project_it_runs_and_is_run()
    {
        var text = File.ReadAllText(Script);
        var runs = DotnetTest().Matches(text).Select(m => (Project: m.Groups["project"].Value, Classes: ClassFilter().Matches(m.Groups["filter"].Value).Select(c => c.Groups["class"].Value).ToList())).ToList();

        Assert.NotEmpty(runs);
        Assert.All(runs, run =>
        {
            var project = Path.Combine(ProviderFiles.Root, run.Project);
            Assert.True(File.Exists(Path.Combine(project, Path.GetFileName(run.Project) + ".csproj")), $"No project {run.Project}.");
            Assert.All(run.Classes, name => Assert.Contains(
                Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories),
                file => File.ReadAllText(file).Contains($"class {name}", StringComparison.Ordinal)));
        });
        Assert.All(Refreshes(), r => Assert.Contains(runs, run => run.Classes.Contains(r.Test)));
    }

    [Fact]
    public void Every_path_the_guide_lists_exists()
    {
        var guide = File.ReadAllText(Path.Combine(ProviderFiles.Root, "mappings", "README.md"));
        var start = guide.IndexOf("## Writing a provider", StringComparison.Ordinal);
        var section = guide[start..guide.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var paths = Backticked().Matches(section).Select(m => m.Groups["path"].Value)
            .Where(p => p.StartsWith("tests/", StringComparison.Ordinal) || p.StartsWith("src/", StringComparison.Ordinal) || p.StartsWith("mappings/", StringComparison.Ordinal) || p == "README.md")
            .Distinct()
            .ToList();

        Assert.Contains("tests/refresh-snapshots.sh", paths);
        Assert.True(paths.Count >= 8, string.Join(", ", paths));
        Assert.All(paths, path => Assert.True(Directory.Exists(Path.Combine(ProviderFiles.Root, path)) || Files().Any(Glob(path).IsMatch), $"The guide names {path}, which matches no file."));
    }

    /// <summary>The script's <c># refreshes: {pattern} ({test class})</c> lines.</summary>
    private static List<(string Pattern, string Test)> Refreshes()
        => RefreshLine().Matches(File.ReadAllText(Script)).Select(m => (m.Groups["pattern"].Value, m.Groups["test"].Value)).ToList();

    /// <summary>A path with <c>*</c> and <c>{placeholder}</c> parts as a regular expression over repository-relative paths.</summary>
    private static Regex Glob(string pattern)
        => new("^" + Regex.Replace(Regex.Escape(pattern), @"\\\*|\\\{[^}]*}", "[^/]*") + "$", RegexOptions.CultureInvariant);

    private static readonly Lazy<List<string>> RepositoryFiles = new(() => Directory.EnumerateFiles(ProviderFiles.Root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(ProviderFiles.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
        .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or ".git"))
        .ToList());

    /// <summary>The repository's files (repository-relative, <c>/</c>-separated), build output left out.</summary>
    private static List<string> Files() => RepositoryFiles.Value;

    [GeneratedRegex(@"^# refreshes: (?<pattern>\S+) \((?<test>\w+)\)$", RegexOptions.Multiline)]
    private static partial Regex RefreshLine();

    [GeneratedRegex(@"dotnet test (?<project>\S+) \\\n\s+--filter ""(?<filter>[^""]+)""")]
    private static partial Regex DotnetTest();

    [GeneratedRegex(@"FullyQualifiedName~(?<class>\w+)")]
    private static partial Regex ClassFilter();

    [GeneratedRegex(@"`(?<path>[^`\s]+)`")]
    private static partial Regex Backticked();
}
