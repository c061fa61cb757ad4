using Truto.Mappings.Providers;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Tests;

/// <summary>
/// The OAuth tables are the catalogue's: README.md's app registration table and
/// mappings/README.md's token table are generated (<see cref="OAuthTables"/>), checked here and
/// rewritten between their marker lines by <c>tests/refresh-snapshots.sh</c>.
/// </summary>
[Collection(ReadmeFiles.Name)]
public sealed class OAuthTableTests
{
    private static readonly string Readme = Path.Combine(ProviderFiles.Root, "README.md");
    private static readonly string MappingsReadme = Path.Combine(ProviderFiles.Root, "mappings", "README.md");

    [Fact]
    public void The_README_oauth_app_table_is_the_catalogues()
        => Snapshot.MatchRegion(Readme, OAuthTables.AppsBegin, OAuthTables.AppsEnd, OAuthTables.RenderApps(GeneratedProviders.All));

    [Fact]
    public void The_mappings_README_oauth_token_table_is_the_catalogues()
        => Snapshot.MatchRegion(MappingsReadme, OAuthTables.TokensBegin, OAuthTables.TokensEnd, OAuthTables.RenderTokens(GeneratedProviders.All));

    [Fact]
    public void Each_table_has_one_row_per_provider_with_an_oauth2_block_and_says_something_in_every_cell()
    {
        var providers = GeneratedProviders.All.Where(a => a.Info.OAuth2 is not null).Select(a => a.Info.Name).ToList();
        Assert.NotEmpty(providers);

        foreach (var table in new[] { OAuthTables.RenderApps(GeneratedProviders.All), OAuthTables.RenderTokens(GeneratedProviders.All) })
        {
            var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            Assert.Equal(providers.Count, rows.Count);
            Assert.All(providers, name => Assert.Single(rows, r => r.Contains($"(`{name}`)", StringComparison.Ordinal)));
            Assert.All(rows, row => Assert.DoesNotContain("|  |", row, StringComparison.Ordinal));
        }
    }
}
