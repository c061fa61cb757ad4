using Truto.Mappings.Providers;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;
using Xunit.Sdk;

namespace Truto.Mappings.Tests;

/// <summary>
/// The README's provider table is the catalogue's: generated (<see cref="ProviderTable"/>),
/// checked here, rewritten between its marker lines by <c>tests/refresh-snapshots.sh</c>.
/// </summary>
[Collection(ReadmeFiles.Name)]
public sealed class ProviderTableTests : IDisposable
{
    private static readonly string Readme = Path.Combine(ProviderFiles.Root, "README.md");

    private readonly string _directory = Directory.CreateTempSubdirectory("truto-readme-").FullName;

    [Fact]
    public void The_README_provider_table_is_the_catalogues()
        => Snapshot.MatchRegion(Readme, ProviderTable.Begin, ProviderTable.End, ProviderTable.Render(GeneratedProviders.All));

    [Fact]
    public void Every_provider_has_a_row_with_its_batch_strategy()
    {
        var rows = ProviderTable.Render(GeneratedProviders.All).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();

        Assert.Equal(GeneratedProviders.All.Count, rows.Count);
        Assert.All(GeneratedProviders.All, a => Assert.Single(rows, r => r.Contains($"(`{a.Info.Name}`)", StringComparison.Ordinal)));
        Assert.Contains(rows, r => r.Contains("fan-out,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("native `", StringComparison.Ordinal) && r.Contains(" per call", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stale_table_fails_and_accepting_rewrites_only_the_part_between_the_markers()
    {
        var file = Path.Combine(_directory, "README.md");
        File.WriteAllText(file, $"# Title\n\n{ProviderTable.Begin}\n| old |\n{ProviderTable.End}\n\nAfter.\n");

        var failure = Assert.ThrowsAny<XunitException>(() => Snapshot.MatchRegion(file, ProviderTable.Begin, ProviderTable.End, "| new |\n", _ => null));
        Assert.Contains("refresh-snapshots.sh", failure.Message, StringComparison.Ordinal);
        Assert.Throws<FailException>(() => Snapshot.MatchRegion(file, ProviderTable.Begin, ProviderTable.End, "| new |\n", n => n == "CI" ? "true" : "1"));
        Assert.Contains("| old |", File.ReadAllText(file), StringComparison.Ordinal);

        Snapshot.MatchRegion(file, ProviderTable.Begin, ProviderTable.End, "| new |\n", n => n == "TRUTO_ACCEPT_SNAPSHOTS" ? "1" : null);

        Assert.Equal($"# Title\n\n{ProviderTable.Begin}\n| new |\n{ProviderTable.End}\n\nAfter.\n", File.ReadAllText(file));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
