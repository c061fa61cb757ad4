using System.Diagnostics;
using System.Text.Json;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The generator package's <c>buildTransitive</c> props as MSBuild evaluates them in a consumer:
/// the mappings folder's YAML becomes AdditionalFiles, <c>TrutoMappingsFolder</c> set in the project
/// file moves it, <c>TrutoMappingsAddFiles=false</c> adds nothing.
/// </summary>
public sealed class PackagePropsTests : IDisposable
{
    private static readonly string Props = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", "..",
        "generators", "Truto.Mappings.Generator", "buildTransitive", "Truto.Mappings.Generator.props"));

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-props-tests", Guid.NewGuid().ToString("N"));

    public PackagePropsTests()
    {
        foreach (var file in new[] { "mappings/providers/acme.yaml", "mappings/providers/beta.yml", "crm-mappings/providers/gamma.yaml", "mappings/notes.txt" })
        {
            var path = Path.Combine(_directory, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }
    }

    [Fact]
    public async Task By_default_the_yaml_under_mappings_is_given_to_the_generator()
        => Assert.Equal(["mappings/providers/acme.yaml", "mappings/providers/beta.yml"], await AdditionalFilesAsync(""));

    [Fact]
    public async Task TrutoMappingsFolder_in_the_project_file_moves_the_folder()
        => Assert.Equal(["crm-mappings/providers/gamma.yaml"], await AdditionalFilesAsync("<TrutoMappingsFolder>crm-mappings</TrutoMappingsFolder>"));

    [Fact]
    public async Task TrutoMappingsAddFiles_false_adds_nothing()
        => Assert.Empty(await AdditionalFilesAsync("<TrutoMappingsAddFiles>false</TrutoMappingsAddFiles>"));

    /// <summary>The AdditionalFiles of a project that imports the props first (as NuGet does) and sets <paramref name="properties"/> in its body.</summary>
    private async Task<IReadOnlyList<string>> AdditionalFilesAsync(string properties)
    {
        var project = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{Props}" />
              <PropertyGroup>{properties}</PropertyGroup>
            </Project>
            """);
        var start = new ProcessStartInfo("dotnet", ["msbuild", project, "-getItem:AdditionalFiles", "-nologo"])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await output + await error);
        var text = (await output).Trim();
        if (text.Length == 0)
        {
            return [];
        }
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("Items").TryGetProperty("AdditionalFiles", out var items)
            ? [.. items.EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
