using Truto.Mappings.Accounts;
using Truto.Mappings.Providers;

namespace Truto.Mappings.Tests;

/// <summary>
/// Fixture snapshots record every header a provider request carries, so they are where a secret
/// would leak into the repository: no snapshot of a provider shows the value of a context key that
/// provider declares <c>secret: true</c>, as it is or percent-encoded.
/// </summary>
public sealed class FixtureSecretTests
{
    public static TheoryData<string> Providers()
        => new(Directory.EnumerateDirectories(MappingSnapshotTests.FixturesDirectory).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Providers))]
    public void No_snapshot_shows_a_secret_of_its_account(string provider)
    {
        var directory = Path.Combine(MappingSnapshotTests.FixturesDirectory, provider);
        var adapter = Assert.Single(GeneratedProviders.All, a => a.Info.Name == provider);
        var context = AccountContext.Parse(File.ReadAllText(Path.Combine(directory, "account.json")));
        var secrets = adapter.Info.Context.Where(k => k.Secret).Select(k => context.Find(k.Name)).OfType<string>().Where(v => v.Length > 0)
            .SelectMany(v => new[] { v, Uri.EscapeDataString(v) }).Distinct(StringComparer.Ordinal).ToList();
        // Every provider's account holds a credential; a fixture account without one would make this test prove nothing.
        Assert.NotEmpty(secrets);

        var snapshots = Directory.GetFiles(directory, "*.verified.json");
        Assert.NotEmpty(snapshots);
        Assert.All(snapshots, file =>
        {
            var text = File.ReadAllText(file);
            Assert.All(secrets, secret => Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(file)} shows the secret '{secret}' of {provider}'s account.json."));
        });
    }
}
