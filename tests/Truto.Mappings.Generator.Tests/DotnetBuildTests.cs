using Truto.Mappings.Generator.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// A real <c>dotnet build</c> of a consumer project with a broken provider file: the compiler
/// output points at the file, line and column, exactly as an IDE shows it.
/// </summary>
public sealed class DotnetBuildTests : IDisposable
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", ".."));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-build-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_broken_provider_file_fails_the_build_at_its_line_and_column()
    {
        var hubspot = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryMappings, "providers", "hubspot.yaml"));
        var broken = hubspot.Replace("    method: POST", "    methd: POST", StringComparison.Ordinal);
        Assert.NotEqual(hubspot, broken);
        var lines = broken.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("methd:", StringComparison.Ordinal)) + 1;
        var column = lines[line - 1].IndexOf("methd", StringComparison.Ordinal) + 1;
        WriteConsumer(broken);

        var (exit, output) = await BuildAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains($"hubspot.yaml({line},{column}): error TM0002: Unknown key 'methd' in contacts.batch_delete (did you mean 'method'?)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CS8785", output, StringComparison.Ordinal);
        // MSBuild appends a descriptor's help link to the line; a relative one was a link nothing could open.
        Assert.DoesNotContain("README.md#tm", output, StringComparison.OrdinalIgnoreCase);
    }

    private void WriteConsumer(string hubspot)
    {
        Directory.CreateDirectory(Path.Combine(_directory, "mappings", "unified", "crm"));
        Directory.CreateDirectory(Path.Combine(_directory, "mappings", "providers"));
        File.Copy(Path.Combine(GeneratorHarness.RepositoryMappings, "unified", "crm", "contacts.yaml"), Path.Combine(_directory, "mappings", "unified", "crm", "contacts.yaml"));
        File.WriteAllText(Path.Combine(_directory, "mappings", "providers", "hubspot.yaml"), hubspot);
        File.WriteAllText(Path.Combine(_directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repository}/src/Truto.Mappings.Runtime/Truto.Mappings.Runtime.csproj" />
                <ProjectReference Include="{Repository}/generators/Truto.Mappings.Generator/Truto.Mappings.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <AdditionalFiles Include="mappings/**/*.yaml" />
              </ItemGroup>
            </Project>
            """);
    }

    private Task<(int Exit, string Output)> BuildAsync()
        => DotnetCli.RunAsync(_directory, TimeSpan.FromMinutes(5), "build", "--nologo", "-v:q", "-clp:NoSummary");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the folder is in temp and holds nothing of value.
        }
    }
}
