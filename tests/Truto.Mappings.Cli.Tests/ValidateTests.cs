extern alias generator;

using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Truto.Mappings.Cli.Tests;

/// <summary>
/// <c>validate</c> reports what the build reports: the same files run through the real generator
/// (<see cref="CSharpGeneratorDriver"/>, as the compiler runs it) give the same codes, lines,
/// columns and messages.
/// </summary>
public sealed partial class ValidateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "truto-cli-" + Guid.NewGuid().ToString("N"));

    public ValidateTests()
    {
        // A mappings folder as a project has it: the repository's schema, the broken providers.
        Directory.CreateDirectory(Path.Combine(_folder, "unified", "crm"));
        Directory.CreateDirectory(Path.Combine(_folder, "providers"));
        File.Copy(Path.Combine(CliRun.Mappings, "unified", "crm", "contacts.yaml"), Path.Combine(_folder, "unified", "crm", "contacts.yaml"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CliRun.Cases, "broken"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(_folder, "providers", Path.GetFileName(file)));
        }
    }

    [Fact]
    public async Task Broken_files_give_the_generators_codes_positions_and_messages()
    {
        var run = await CliRun.RunAsync("validate", "--folder", _folder);

        var expected = GeneratorDiagnostics(_folder);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Parse(run.Output));
        // The kinds of mistake the cases hold are there: YAML syntax, an unknown key, a duplicate name.
        Assert.Superset(new HashSet<string> { "TM0001", "TM0002", "TM0009" }, expected.Select(d => d.Split(' ')[1]).ToHashSet());
    }

    [Fact]
    public async Task Errors_exit_with_1_and_a_summary_on_stderr()
    {
        var run = await CliRun.RunAsync("validate", "--folder", _folder);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("4 provider file(s) checked", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_files_are_checked_alone_and_the_duplicate_needs_its_first()
    {
        var run = await CliRun.RunAsync("validate", "--folder", _folder, Path.Combine(_folder, "providers", "duplicate.yaml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task The_repository_providers_are_valid()
    {
        var run = await CliRun.RunAsync("validate", "--folder", CliRun.Mappings);

        Assert.Equal("", run.Output);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Without_a_schema_every_provider_reports_TM0012_as_the_build_does()
    {
        File.Delete(Path.Combine(_folder, "unified", "crm", "contacts.yaml"));

        var run = await CliRun.RunAsync("validate", "--folder", _folder);

        Assert.Equal(GeneratorDiagnostics(_folder), Parse(run.Output));
        Assert.All(Parse(run.Output), line => Assert.Contains(" TM0012 ", line, StringComparison.Ordinal));
    }

    /// <summary>"file(line,col) TM0002 message" per diagnostic the generator reports over the folder's YAML, sorted.</summary>
    private static List<string> GeneratorDiagnostics(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(path => (AdditionalText)new YamlFile(path, File.ReadAllText(path)))
            .ToImmutableArray();
        var driver = CSharpGeneratorDriver.Create([new generator::Truto.Mappings.Generator.MappingsGenerator().AsSourceGenerator()], files);
        var result = driver.RunGenerators(CSharpCompilation.Create("validate")).GetRunResult();
        return [.. result.Diagnostics
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                return string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}) {d.Id} {d.GetMessage(CultureInfo.InvariantCulture)}");
            })
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The same from the CLI's MSBuild-style lines (<c>path(line,col): error TM0002: message</c>).</summary>
    private static List<string> Parse(string output)
        => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => MsBuildLine().Match(line))
            .Select(m => $"{Path.GetFileName(m.Groups["path"].Value)}({m.Groups["position"].Value}) {m.Groups["id"].Value} {m.Groups["message"].Value}")
            .Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^(?<path>.+)\((?<position>\d+,\d+)\): error (?<id>TM\d{4}): (?<message>.*)$")]
    private static partial Regex MsBuildLine();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class YamlFile(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
