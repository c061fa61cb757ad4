using System.IO.Compression;
using System.Xml.Linq;
using Truto.Mappings.Generator.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The packages as a user gets them: the generator, the runtime and the built-in providers packed
/// into a folder feed, a fresh project outside the solution that references them and holds one
/// provider file of its own. A mistake in that file is an error at its line in the project's build;
/// fixed, the project's adapter (generated into the project's assembly) and the built-in ones are in
/// one catalogue, and a delete goes through the project's adapter to a loopback fake provider.
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", ".."));

    // A version no earlier run has used: a package cache holding an older build cannot pass the test.
    private readonly string _version = "0.0.0-e2e." + Guid.NewGuid().ToString("N")[..12];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-package-tests", Guid.NewGuid().ToString("N"));

    private string Feed => Path.Combine(_directory, "artifacts", "package", "release");

    private string Project => Path.Combine(_directory, "consumer");

    [Fact]
    public async Task A_project_referencing_the_packages_compiles_its_own_provider_and_deletes_through_it()
    {
        await PackAsync();
        var broken = AcmeProvider.Replace("    method: DELETE", "    methd: DELETE", StringComparison.Ordinal);
        WriteConsumer(broken);

        var (exit, output) = await DotnetAsync(Project, "build", "--nologo", "-v:q", "-clp:NoSummary");

        Assert.NotEqual(0, exit);
        var line = Array.FindIndex(broken.Split('\n'), l => l.Contains("methd:", StringComparison.Ordinal)) + 1;
        Assert.Contains($"acme.yaml({line},5): error TM0002: Unknown key 'methd' in contacts.delete (did you mean 'method'?)", output, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(Project, "mappings", "providers", "acme.yaml"), AcmeProvider);
        (exit, output) = await DotnetAsync(Project, "run", "--nologo");

        Assert.True(exit == 0, output);
        Assert.Contains("provider saw: DELETE /contacts/42 auth=expected", output, StringComparison.Ordinal);
        Assert.Contains("status: 200", output, StringComparison.Ordinal);
        Assert.Contains("contact: 42", output, StringComparison.Ordinal);
        Assert.Contains("catalog: acme+hubspot", output, StringComparison.Ordinal);
    }

    private const string AcmeProvider = """
        name: acme
        display_name: Acme CRM
        base_url: https://api.acme.example
        hosts: [api.acme.example]
        context:
          token: {label: Token, secret: true}
        auth:
          type: bearer
          token: "{{context.token}}"
        contacts:
          delete:
            method: DELETE
            path: /contacts/{{id}}
            response:
              id: "{{id}}"

        """;

    /// <summary>The three packages into one folder feed, built under the temp folder so the repository's bin/obj stay untouched.</summary>
    private async Task PackAsync()
    {
        Directory.CreateDirectory(_directory);
        var solution = Path.Combine(_directory, "packages.slnx");
        File.WriteAllText(solution, $"""
            <Solution>
              <Project Path="{Repository}/generators/Truto.Mappings.Generator/Truto.Mappings.Generator.csproj" />
              <Project Path="{Repository}/src/Truto.Mappings.Runtime/Truto.Mappings.Runtime.csproj" />
              <Project Path="{Repository}/src/Truto.Mappings/Truto.Mappings.csproj" />
            </Solution>
            """);
        var (exit, output) = await DotnetAsync(_directory, "pack", solution, "--nologo", "-v:q", "--artifacts-path", Path.Combine(_directory, "artifacts"), "-p:Version=" + _version);
        Assert.True(exit == 0, output);
        Assert.Equal(
            ["Truto.Mappings." + _version + ".nupkg", "Truto.Mappings.Generator." + _version + ".nupkg", "Truto.Mappings.Runtime." + _version + ".nupkg"],
            Directory.EnumerateFiles(Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var package in Directory.EnumerateFiles(Feed, "*.nupkg"))
        {
            AssertMetadata(package);
        }
    }

    /// <summary>What nuget.org shows of a package: its description, readme, terms and the commit it came from, each present and in the package.</summary>
    private static void AssertMetadata(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        var nuspecEntry = Assert.Single(archive.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspecStream = nuspecEntry.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        var name = Path.GetFileName(package);
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), name);
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("LICENSE.txt", Value("license"));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
        Assert.Equal(
            File.ReadAllText(Path.Combine(Repository, "src", "LICENSE.txt")),
            ReadEntry(archive, "LICENSE.txt"));
        Assert.Equal(File.ReadAllText(Path.Combine(Repository, "README.md")), ReadEntry(archive, "README.md"));
    }

    private static string ReadEntry(ZipArchive archive, string path)
    {
        using var reader = new StreamReader(Assert.Single(archive.Entries, e => e.FullName == path).Open());
        return reader.ReadToEnd();
    }

    private void WriteConsumer(string acme)
    {
        Directory.CreateDirectory(Path.Combine(Project, "mappings", "providers"));
        File.WriteAllText(Path.Combine(Project, "mappings", "providers", "acme.yaml"), acme);
        // The local feed first, then the registry this machine's own NuGet.Config names (the
        // packages' dependencies come from there); nothing from the repository's settings applies here.
        File.WriteAllText(Path.Combine(Project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        // Stops the search for Directory.Build.props / Directory.Packages.props at this folder.
        File.WriteAllText(Path.Combine(Project, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(Project, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(Project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Truto.Mappings" Version="{_version}" />
                <PackageReference Include="Truto.Mappings.Generator" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Project, "Program.cs"), """"
            using System.Net;
            using System.Net.Sockets;
            using Microsoft.Extensions.DependencyInjection;
            using Truto.Mappings;
            using Truto.Mappings.Accounts;
            using Truto.Mappings.Adapters;
            using Truto.Mappings.Client;

            // A fake Acme on loopback: answers one DELETE with 204 and reports what it received.
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            using var fake = new HttpListener();
            fake.Prefixes.Add($"http://127.0.0.1:{port}/");
            fake.Start();
            var received = Task.Run(async () =>
            {
                var call = await fake.GetContextAsync();
                var auth = call.Request.Headers["Authorization"] == "Bearer acme-token" ? "expected" : "unexpected";
                call.Response.StatusCode = 204;
                call.Response.Close();
                return $"{call.Request.HttpMethod} {call.Request.Url!.AbsolutePath} auth={auth}";
            });

            // The built-in providers and this project's own (generated from mappings/providers/*.yaml).
            var services = new ServiceCollection()
                .AddTrutoMappings([Consumer.GeneratedProviders.Operations], o => o.ProviderBaseUrls["acme"] = $"http://127.0.0.1:{port}")
                .BuildServiceProvider();
            var client = services.GetRequiredService<UnifiedContactsClient>();
            var account = new IntegratedAccount("acc-1", "acme", AccountContext.Parse("""{"token": "acme-token"}"""));

            await using var deleted = await client.DeleteAsync(account, "42");
            var catalog = services.GetRequiredService<ProviderCatalog>();
            Console.WriteLine("provider saw: " + await received);
            Console.WriteLine("status: " + deleted.StatusCode);
            Console.WriteLine("contact: " + deleted.ReadContact().Id);
            Console.WriteLine("catalog: acme" + (catalog.Find("acme") is not null && catalog.Find("hubspot") is not null ? "+hubspot" : ""));
            """");
    }

    private static Task<(int Exit, string Output)> DotnetAsync(string directory, params string[] arguments)
        => DotnetCli.RunAsync(directory, TimeSpan.FromMinutes(10), arguments);

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
        // This run's packages in the user's package cache: a unique version nothing else will ask for.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "truto.mappings", "truto.mappings.generator", "truto.mappings.runtime" })
        {
            var folder = Path.Combine(cache, id, _version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            // The id's folder too when no other version is in it (NuGet recreates it when needed).
            var idFolder = Path.Combine(cache, id);
            if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any())
            {
                Directory.Delete(idFolder);
            }
        }
    }
}
